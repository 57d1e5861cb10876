// The message page: filing this message without a form round trip (then on to the next
// message of the list, or back to the list at its end), stepping to the previous or next
// message, and keyboard shortcuts. In the list's reading pane the list files it and opens the
// next one. Progressive enhancement: without this file the toolbar is a plain form that posts
// its action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("message-form");
  if (!form) return;
  const { say, url, post, showToast, rememberRead, filingForm, fileInList, inPane, nextOrList } = window.Webmail;
  const listUrl = form.dataset.listUrl;
  const uid = form.querySelector("input[name=uid]").value;
  const flagButton = form.querySelector("[data-flag]");
  const star = document.querySelector(".message-subject .star");
  rememberRead(form.dataset.folder, uid);

  function setFlagged(on) {
    flagButton.value = on ? "unflag" : "flag";
    flagButton.setAttribute("aria-pressed", String(on));
    flagButton.querySelector("[data-flag-label]").textContent = on ? flagButton.dataset.unflagText : flagButton.dataset.flagText;
    if (star) star.hidden = !on;
  }

  // Filed away, the page goes on to the next message of the list, or back to the list at its end.
  const act = filingForm(form, {
    uids: [uid],
    stays: (kind) => kind === "flag" || kind === "unflag",
    change: (kind) => { setFlagged(kind === "flag"); return () => setFlagged(kind !== "flag"); },
    whereTo: nextOrList(listUrl),
  });

  // Snoozing in the reading pane: the list takes the row away and opens the next one, as for
  // the filing actions (elsewhere the form posts and the whole window goes to the list).
  const snooze = document.querySelector(".snooze-form");
  if (inPane && snooze) {
    snooze.addEventListener("submit", async (event) => {
      const button = event.submitter;
      if (!button || button.name !== "choice") return; // the attachments' zip: its own page
      event.preventDefault();
      try {
        const answer = await post(button.formAction, new FormData(snooze, button));
        const notice = (answer.messages || []).join(" ");
        if (!answer.ok) { showToast(notice, { error: true }); return; }
        if (!fileInList({ kind: "snoozed", extra: {}, folder: form.dataset.folder, uids: [uid], notice })) window.top.location.assign(listUrl);
      } catch (error) {
        showToast(say("notDone", error.message), { error: true });
      }
    });
  }

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
