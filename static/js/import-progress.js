// The legacy import's progress bar: asks the job's JSON every second and moves the bar; when
// the worker is done with the phase, reloads the page, which then shows the outcome. Without
// this script the page refreshes itself (<noscript> meta refresh) and shows the same figures.
(() => {
  const box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  const bar = box.querySelector(".progress-bar");
  const meter = box.querySelector("[role='progressbar']");
  const phase = box.querySelector("[data-phase]");
  const counts = box.querySelector("[data-counts]");
  const poll = async () => {
    let state;
    try {
      const response = await fetch(box.dataset.importProgress, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      state = await response.json();
    } catch (error) {
      window.setTimeout(poll, 5000); // the server or the network hiccupped: try again, slower
      return;
    }
    if (!state.running) {
      window.location.reload();
      return;
    }
    bar.style.width = `${state.percent}%`;
    bar.textContent = `${state.percent} %`;
    meter.setAttribute("aria-valuenow", String(state.percent));
    phase.textContent = state.phase_name;
    // The sentence comes translated from the page, with DONE and ROWS to fill in.
    counts.textContent = counts.dataset.template
      .replace("DONE", state.done.toLocaleString(document.documentElement.lang))
      .replace("ROWS", state.rows.toLocaleString(document.documentElement.lang));
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
})();
