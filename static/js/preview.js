// Attachment previews in the message page: images in an <img> (no script runs in an image,
// SVG included), plain text and PDF in a frame sandboxed with no permission at all, whose
// document has its own `sandbox` CSP: nothing from the mail runs in the app's origin.
// Without this file "Preview" opens the part in a new tab, under the same CSP.
"use strict";
(() => {
  const area = document.querySelector("[data-preview-area]");
  if (!area) return;
  const title = area.querySelector("[data-preview-title]");
  let shown = null;
  let opener = null;

  function close() {
    if (shown) shown.remove();
    shown = null;
    area.hidden = true;
    if (opener) opener.focus();
  }

  function open(link) {
    if (shown) shown.remove();
    const kind = link.dataset.preview;
    if (kind === "image") {
      shown = document.createElement("img");
      shown.alt = link.dataset.filename;
    } else {
      shown = document.createElement("iframe");
      shown.setAttribute("sandbox", ""); // no scripts, an opaque origin
      shown.setAttribute("referrerpolicy", "no-referrer");
      shown.title = link.dataset.filename;
    }
    shown.className = `preview-${kind}`;
    shown.src = link.href;
    title.textContent = link.dataset.filename;
    area.append(shown);
    area.hidden = false;
    opener = link;
    area.querySelector("[data-preview-close]").focus();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-preview]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    open(link);
  });
  area.querySelector("[data-preview-close]").addEventListener("click", close);
  area.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
})();
