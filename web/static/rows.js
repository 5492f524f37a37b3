// "Thêm dòng": adds a blank row to a list table in a task form, numbered after the last one.
(function () {
  document.querySelectorAll("table[data-list]").forEach((table) => {
    const body = table.tBodies[0];
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Thêm dòng";
    button.addEventListener("click", () => {
      const last = body.rows[body.rows.length - 1];
      const next = body.rows.length;
      const row = last.cloneNode(true);
      row.cells[0].textContent = String(next + 1);
      row.querySelectorAll("input").forEach((input) => {
        input.name = input.name.replace(/-\d+-/, "-" + next + "-");
        input.id = "field-" + input.name;
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        input.value = "";
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, String(next + 1)));
      });
      row.querySelectorAll(".field-error").forEach((error) => error.remove());
      row.querySelectorAll(".invalid").forEach((cell) => cell.classList.remove("invalid"));
      body.appendChild(row);
      row.querySelector("input").focus();
    });
    table.after(button);
  });
})();
