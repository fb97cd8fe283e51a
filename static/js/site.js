// Behaviour shared by every page. The Content-Security-Policy allows no inline script, so
// buttons declare what they do with data-action and this file wires them up.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action='print']");
  if (button) {
    window.print();
  }
});
