// The message page: filing this message without a form round trip, stepping to the
// previous or next message, and keyboard shortcuts. Progressive enhancement: without
// this file the toolbar is a plain form that posts its action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("message-form");
  if (!form) return;
  const { say, doneText, url, post, waitFor, showToast, handOver, rememberRead } = window.Webmail;
  const listUrl = form.dataset.listUrl;
  const uid = form.querySelector("input[name=uid]").value;
  const flagButton = form.querySelector("[data-flag]");
  const star = document.querySelector(".message-subject .star");
  const LEAVES = new Set(["archive", "junk", "notjunk", "delete", "delete_permanently", "move", "unread"]);
  let busy = false;
  const inPane = document.body.classList.contains("in-pane") && window.top !== window;
  rememberRead(form.dataset.folder, uid);

  function setFlagged(on) {
    flagButton.value = on ? "unflag" : "flag";
    flagButton.setAttribute("aria-pressed", String(on));
    flagButton.querySelector("[data-flag-label]").textContent = on ? flagButton.dataset.unflagText : flagButton.dataset.flagText;
    if (star) star.hidden = !on;
  }

  async function act(kind, extra = {}) {
    if (busy) return;
    busy = true;
    const data = new FormData();
    data.append("action", kind);
    data.append("folder", form.dataset.folder);
    data.append("uid", uid);
    for (const [k, v] of Object.entries(extra)) if (v) data.append(k, v);
    const flagging = kind === "flag" || kind === "unflag";
    if (flagging) setFlagged(kind === "flag");
    else showToast(say("working"));
    try {
      const { action_id: actionId } = await post(url("actions"), data);
      const state = await waitFor(actionId, flagging ? 60 : 15);
      if (state.state === "failed") throw new Error(state.error);
      if (flagging) { showToast(state.notice || doneText(kind)); return; }
      // Back to the list, which offers the undo (a moved message is gone from here).
      if (state.state === "done" && state.undo) handOver(actionId, kind);
      else if (state.state === "queued") showToast(say("queued"));
      // In the list's reading pane the list itself is reloaded (it shows the undo).
      (inPane ? window.top : window).location.assign(listUrl);
    } catch (error) {
      if (flagging) setFlagged(kind !== "flag");
      showToast(say("notDone", error.message), { error: true });
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (event) => {
    const kind = event.submitter && event.submitter.value;
    if (!kind) return;
    event.preventDefault();
    if (kind === "move") {
      const target = form.querySelector("[name=target]").value.trim();
      if (!target) { showToast(say("chooseFolder"), { error: true }); return; }
      act(kind, { target });
    } else if (LEAVES.has(kind) || kind === "flag" || kind === "unflag") act(kind);
  });

  function deleteThis() {
    if (form.dataset.special === "trash") {
      if (window.confirm(say("confirmForeverOne"))) act("delete_permanently");
    } else act("delete");
  }

  const follow = (selector) => {
    const link = document.querySelector(selector);
    if (link) (link.target === "_top" ? window.top : window).location.assign(link.href);
  };
  window.Webmail.onShortcuts(() => ({
    j: () => follow("[data-step=next]"), k: () => follow("[data-step=previous]"), u: () => follow("[data-back]"),
    r: () => follow("[data-key=r]"), a: () => follow("[data-key=a]"), f: () => follow("[data-key=f]"),
    s: () => act(flagButton.value), U: () => act("unread"), e: () => act("archive"), "#": deleteThis,
    v: () => form.querySelector("[name=target]").focus(), c: () => (inPane ? window.top : window).location.assign(url("compose")),
  }));
})();

// Attachment downloads with progress. The browser's own download shows progress only with a
// Content-Length, which a part from a server without BINARY (Courier) cannot have: its size
// after decoding is unknown until it is decoded. Such a download carries an estimate from
// BODYSTRUCTURE (X-Estimated-Content-Length); this reads the stream, shows a progress bar by
// the exact length or the estimate, and saves the file. Without this script the link is a
// plain download; a failed fetch falls back to it.
(() => {
  const ESTIMATE = "X-Estimated-Content-Length";
  for (const item of document.querySelectorAll("[data-download-progress]")) {
    const link = item.querySelector("a[download]");
    if (!link) continue;
    link.addEventListener("click", async (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || !window.ReadableStream) return;
      if (link.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
      event.preventDefault();
      const bar = document.createElement("progress");
      bar.className = "download-progress";
      bar.setAttribute("aria-label", item.dataset.downloadProgress);
      link.setAttribute("aria-busy", "true");
      link.after(bar);
      try {
        const response = await fetch(link.href, { credentials: "same-origin" });
        if (!response.ok || !response.body) throw new Error(String(response.status));
        const total = Number(response.headers.get("Content-Length") || response.headers.get(ESTIMATE)) || 0;
        if (total) bar.max = total;
        const reader = response.body.getReader();
        const chunks = [];
        let loaded = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          loaded += value.length;
          if (total) bar.value = Math.min(loaded, total * 0.99); // an estimate may be short: full only when done
        }
        if (total) bar.value = total;
        const blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "application/octet-stream" });
        const save = document.createElement("a");
        save.href = URL.createObjectURL(blob);
        save.download = link.querySelector(".filename")?.textContent || "";
        document.body.append(save);
        save.click();
        save.remove();
        window.setTimeout(() => URL.revokeObjectURL(save.href), 60000);
      } catch {
        window.location.assign(link.href); // the plain download, and the browser's own error page
      } finally {
        bar.remove();
        link.removeAttribute("aria-busy");
      }
    });
  }
})();
