// Attachment previews in the message page: images in an <img> (no script runs in an image,
// SVG included), plain text in a frame sandboxed with no permission at all, whose document
// has its own `sandbox` CSP; PDF drawn by our vendored pdf.js in a frame sandboxed without
// allow-same-origin, which gets the bytes from here: nothing from the mail runs in the app's origin.
// Without this file "Preview" opens the part in a new tab, under the same CSP.
"use strict";
(() => {
  const area = document.querySelector("[data-preview-area]");
  if (!area) return;
  const title = area.querySelector("[data-preview-title]");
  let shown = null;
  let opener = null;
  let pdfFrame = null;
  let pdfUrl = null;

  // The PDF viewer frame says it is ready: it gets the bytes (fetched here, with the session).
  window.addEventListener("message", async (event) => {
    if (!pdfFrame || event.source !== pdfFrame.contentWindow || !event.data || !event.data.webmailPdfViewerReady) return;
    const frame = pdfFrame;
    const response = await fetch(pdfUrl, { credentials: "same-origin" });
    if (!response.ok || frame !== pdfFrame) return;
    const bytes = await response.arrayBuffer();
    frame.contentWindow.postMessage({ webmailPdf: bytes }, "*", [bytes]);
  });

  function close() {
    if (shown) shown.remove();
    shown = pdfFrame = null;
    area.hidden = true;
    if (opener) opener.focus();
  }

  function open(link) {
    if (shown) shown.remove();
    pdfFrame = null;
    const kind = link.dataset.preview;
    if (kind === "image") {
      shown = document.createElement("img");
      shown.alt = link.dataset.filename;
    } else {
      shown = document.createElement("iframe");
      // Text: no scripts at all. PDF: our pdf.js page's scripts, in an opaque origin.
      shown.setAttribute("sandbox", kind === "pdf" ? "allow-scripts" : "");
      shown.setAttribute("referrerpolicy", "no-referrer");
      shown.title = link.dataset.filename;
    }
    shown.className = `preview-${kind}`;
    if (kind === "pdf") {
      pdfFrame = shown;
      pdfUrl = link.href;
      shown.src = area.dataset.pdfViewer;
    } else shown.src = link.href;
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
