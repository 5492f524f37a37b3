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
})();
