// The import/export page: polls the status, moves the progress bar, shows the download link.
(function () {
  "use strict";
  const page = document.querySelector("[data-transfer]");
  if (!page) return;
  const bar = page.querySelector("[data-progress]");
  const count = page.querySelector("[data-count]");
  const state = page.querySelector("[data-state]");
  const cancelForm = page.querySelector("[data-cancel-form]");
  const downloadWrap = page.querySelector("[data-download-wrap]");
  const download = page.querySelector("[data-download]");
  const summary = page.querySelector("[data-summary]");
  const failures = page.querySelector("[data-failures]");

  function apply(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    count.textContent = status.progress_label || (status.total ? status.done + " / " + status.total : String(status.done));
    if (summary && status.summary) summary.textContent = status.summary;
    if (failures && status.failures && status.failures.length !== failures.children.length) {
      // a contacts import names each card it could not import
      failures.replaceChildren(...status.failures.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }));
    }
    state.textContent = status.state_label + (status.error ? ": " + status.error : "");
    if (status.finished) cancelForm.hidden = true;
    if (status.download) { download.href = status.download; downloadWrap.hidden = false; }
  }

  function poll() {
    fetch(page.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((status) => { apply(status); if (!status.finished) setTimeout(poll, 1000); })
      .catch(() => setTimeout(poll, 5000));
  }
  poll();
})();
