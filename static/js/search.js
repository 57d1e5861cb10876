// A search still running in the background: the page says how many folders are left,
// asks how far it is (a light poll of the cache) and, once every folder is done, shows the
// whole result (the same URL with the run's id: nothing is searched again). Cancel stops
// the folders not started yet. Without this file a <noscript> refresh does the same.
"use strict";
(() => {
  const box = document.querySelector("[data-search-run]");
  if (!box) return;
  const text = box.querySelector("[data-pending-text]");
  const cancel = box.querySelector("form");
  let stopped = false;

  async function poll() {
    if (stopped) return;
    try {
      const response = await fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.status === 404) return; // forgotten: the page's "Search again" is there
      if (response.ok) {
        const progress = await response.json();
        if (progress.finished) { location.replace(box.dataset.runUrl); return; }
        text.textContent = box.dataset.many.replace("__N__", String(progress.pending));
      }
    } catch (error) { /* offline for a moment: ask again */ }
    setTimeout(poll, 500);
  }

  cancel.addEventListener("submit", async (event) => {
    event.preventDefault();
    stopped = true;
    cancel.querySelector("button").disabled = true;
    try {
      await fetch(cancel.action, { method: "POST", body: new FormData(cancel), credentials: "same-origin", headers: { Accept: "application/json" } });
    } finally {
      // What was found, and which folders were not searched (one may still finish first).
      stopped = false;
      poll();
    }
  });
  setTimeout(poll, 300);
})();
