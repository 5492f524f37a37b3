// A task form after a refused submit: the error summary is scrolled into view and focused, and each of its links
// moves focus to the field it names (a fragment alone scrolls without focusing). A form marked data-autosubmit (the
// typed work carried past a new sign-in) is sent as soon as the page opens.
(function () {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        const input = target.matches("fieldset") ? target.querySelector("input, textarea") || target : target;
        input.scrollIntoView({ block: "center" });
        input.focus();
      });
    });
  }
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
  // Reading a list from a file (a form of its own: forms do not nest) takes along what the task's form holds, so a
  // comment typed before "Đọc tệp" comes back with the list. Files cannot be carried: they are chosen again.
  document.querySelectorAll("form[data-carries]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input[data-carried]").forEach((input) => input.remove());
      const source = document.getElementById(form.dataset.carries);
      if (!source) return;
      for (const [name, value] of new FormData(source)) {
        if (name === "csrf_token" || typeof value !== "string") continue;
        const carried = Object.assign(document.createElement("input"), { type: "hidden", name, value });
        carried.dataset.carried = "";
        form.append(carried);
      }
    });
  });
})();
