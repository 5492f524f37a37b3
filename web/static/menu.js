// The header's menu button: on a phone it shows or hides the pages' links (app.css hides them while it says closed).
(function () {
  const button = document.querySelector("header button.menu");
  const toggle = (open) => button.setAttribute("aria-expanded", String(open));
  button.hidden = false;
  button.addEventListener("click", () => toggle(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      toggle(false);
      button.focus();
    }
  });
})();
