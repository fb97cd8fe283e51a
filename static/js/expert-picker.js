/* Lists of experts (Silver audit, Gold assessment): a search box narrows each list by name,
 * country or accreditation number, and the list offers only the experts accredited on the day
 * in the form's date field (each option carries its accreditation period). Accents and case
 * do not matter. Without JavaScript the lists are plain and the server checks the choice. */
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function init() {
    const dateInput = document.querySelector("input[data-experts-on]");
    document.querySelectorAll("select").forEach((select) => {
      const search = document.getElementById(select.id + "-search");
      if (!search || !search.classList.contains("expert-search")) return;
      search.hidden = false;
      const options = Array.from(select.options).filter((option) => option.value);
      const placeholder = Array.from(select.options).find((option) => !option.value);

      function accredited(option) {
        const day = dateInput && dateInput.value; // ISO dates compare as text
        return !day || (option.dataset.from <= day && day <= option.dataset.until);
      }

      function narrow() {
        const words = plain(search.value).split(/\s+/).filter(Boolean);
        let shown = 0;
        let last = null;
        options.forEach((option) => {
          const text = plain(option.textContent);
          const visible = accredited(option) && words.every((word) => text.includes(word));
          option.hidden = !visible;
          option.disabled = !visible;
          if (visible) {
            shown += 1;
            last = option;
          }
        });
        if (select.selectedOptions[0] && select.selectedOptions[0].disabled) select.value = "";
        if (shown === 1 && words.length) select.value = last.value;
        if (placeholder) {
          placeholder.textContent = shown
            ? placeholder.dataset.text || placeholder.textContent
            : gettext("No accredited expert matches");
        }
      }

      if (placeholder) placeholder.dataset.text = placeholder.textContent;
      search.addEventListener("input", narrow);
      if (dateInput) dateInput.addEventListener("change", narrow);
      narrow();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
