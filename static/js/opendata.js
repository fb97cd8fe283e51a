// The label page's "Copy the HTML" button: shown only with JavaScript; without it the snippet
// is selectable text in a read-only field.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  button.classList.remove("d-none");
  const label = button.textContent;
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      document.execCommand("copy");
    }
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
