/* The language switch in the navigation: choosing a language submits the form at once.
 * Without JavaScript the form's own button does the same. */
(function () {
  "use strict";
  document.querySelectorAll("form.language-switch").forEach(function (form) {
    const select = form.querySelector("select[name=language]");
    const button = form.querySelector(".language-switch-go");
    if (button) button.classList.add("visually-hidden");
    select.addEventListener("change", function () {
      form.submit();
    });
  });
})();
