// The PDF preview's frame (templates/mailview/pdf_viewer.html): sandboxed without
// allow-same-origin, it receives the PDF's bytes from the message page and draws its pages
// with the vendored pdf.js (no eval, no fonts installed, no scripts of the PDF's own).
"use strict";
(() => {
  const pages = document.getElementById("pages");
  const maxPages = Number(pages.dataset.maxPages) || 50;
  let started = false;

  async function render(data) {
    const lib = window.pdfjsLib;
    const pdf = await lib.getDocument({
      data, isEvalSupported: false, disableFontFace: true, enableXfa: false, disableAutoFetch: true, disableStream: true,
    }).promise;
    const count = Math.min(pdf.numPages, maxPages);
    for (let n = 1; n <= count; n += 1) {
      const page = await pdf.getPage(n);
      const unscaled = page.getViewport({ scale: 1 });
      const scale = Math.min(2, Math.max(0.5, (window.innerWidth - 16) / unscaled.width)) * (window.devicePixelRatio || 1);
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.dataset.page = String(n);
      pages.append(canvas);
      await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
    }
    document.body.dataset.rendered = String(count);
    if (pdf.numPages > count) {
      const more = document.createElement("p");
      more.textContent = `${count} / ${pdf.numPages}`;
      pages.append(more);
    }
  }

  window.addEventListener("message", (event) => {
    // Only the page that framed us, once, and only bytes.
    if (started || event.source !== window.parent || !event.data || !(event.data.webmailPdf instanceof ArrayBuffer)) return;
    started = true;
    document.body.dataset.rendered = "loading";
    render(new Uint8Array(event.data.webmailPdf)).catch((error) => {
      const p = document.createElement("p");
      p.textContent = String(error && error.message ? error.message : error);
      pages.append(p);
      document.body.dataset.rendered = "error";
    });
  });
  window.parent.postMessage({ webmailPdfViewerReady: true }, "*");
})();
