// Behaviour shared by every page. The Content-Security-Policy allows no inline script, so
// buttons declare what they do with data-action and this file wires them up.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action='print']");
  if (button) {
    window.print();
  }
});

// A table wider than the screen scrolls inside its box (.table-responsive): that box is then a
// labelled region the keyboard can reach and scroll (named by the table's caption).
function labelScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      box.setAttribute("aria-label", (caption && caption.textContent.trim()) || document.title);
      box.dataset.scrollRegion = "js";
    } else if (!scrolls && box.dataset.scrollRegion === "js") {
      ["role", "tabindex", "aria-label", "data-scroll-region"].forEach((name) => box.removeAttribute(name));
    }
  });
}
labelScrollingTables();
window.addEventListener("resize", labelScrollingTables);
