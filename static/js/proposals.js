/* The manager's proposals on the expert's step (issue 16): "Accept" copies a proposal into its
 * question's inputs, "Accept all proposals of this step" does so for every question, and
 * Alt+A accepts the proposal of the question being answered. Nothing is saved until the
 * expert presses Save, as for typed input; the server then records each answer's source.
 * Listeners sit on the document, so they keep working when a save replaces the page's main.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js-proposals");

  function setInputs(wrap) {
    const strip = wrap.querySelector(".proposal");
    const card = wrap.querySelector(".indicator");
    const form = card.closest("form");
    const inputs = JSON.parse(strip.dataset.inputs || "{}");
    // A reason replaces a value and the other way round: clear both, keep the comment.
    card.querySelectorAll("input, select").forEach((el) => {
      if (/-(comment|confirm)$/.test(el.name)) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = false;
      else el.value = "";
    });
    Object.entries(inputs).forEach(([name, value]) => {
      const values = Array.isArray(value) ? value : [value];
      card.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach((el) => {
        if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
        else el.value = values[0];
      });
    });
    card.querySelectorAll("input, select").forEach((el) => el.dispatchEvent(new Event("change", { bubbles: true })));
    card.querySelectorAll(".parts-table").forEach((t) => t.dispatchEvent(new Event("input", { bubbles: true })));
    form.dispatchEvent(new Event("input", { bubbles: true }));
    strip.classList.add("proposal-taken");
    const button = strip.querySelector(".proposal-accept");
    if (button) button.textContent = gettext("Accepted: save to keep it");
  }

  // A button near the sticky save bar would scroll away when it takes the focus (interview.js
  // keeps focused fields clear of the bar) and the click would land elsewhere: a mouse press on
  // it does not move the focus. The keyboard still reaches it with Tab.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest(".proposal-accept, .proposal-accept-all")) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    const one = event.target.closest(".proposal-accept");
    if (one) {
      setInputs(one.closest(".indicator-with-proposal"));
      return;
    }
    if (event.target.closest(".proposal-accept-all")) {
      document.querySelectorAll(".indicator-with-proposal").forEach(setInputs);
      const status = document.getElementById("save-state");
      if (status) status.textContent = gettext("All proposals of this step copied in: check them, then save.");
    }
  });

  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyA") return;
    const wrap = document.activeElement && document.activeElement.closest(".indicator-with-proposal");
    if (!wrap || !wrap.querySelector(".proposal-accept")) return;
    event.preventDefault();
    setInputs(wrap);
  });
})();
