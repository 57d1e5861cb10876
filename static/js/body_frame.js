// The message body frame grows with its text: the frame (sandboxed, an opaque origin)
// posts its height, and the page sets it, so the page scrolls, never a box inside it.
// Without this file the frame keeps its fixed height and scrolls inside.
"use strict";
(() => {
  const MAX_HEIGHT = 500000; // a bound against a body that keeps growing with its frame
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || typeof data.webmailBodyHeight !== "number") return;
    for (const frame of document.querySelectorAll("iframe.message-body")) {
      if (frame.contentWindow !== event.source) continue; // only a body frame's own word
      const height = Math.min(MAX_HEIGHT, Math.max(0, Math.round(data.webmailBodyHeight)));
      frame.style.height = `${height + 4}px`; // + the frame's border
      frame.classList.add("sized");
    }
  });
})();
