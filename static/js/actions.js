// What the list page (mail.js, live.js) and the message page (message.js) share: the
// translated texts, the URLs, posting an action, waiting for its Celery task, and the toast.
// Texts and URLs are handed over by the page as JSON data blocks (fragment_filing_scripts.html):
// no path is written in a script.
"use strict";
window.Webmail = (() => {
  const textsBlock = document.getElementById("script-texts");
  const texts = textsBlock ? JSON.parse(textsBlock.textContent) : { done: {} };
  const say = (key, detail) => (texts[key] || key).replace("%s", detail == null ? "" : String(detail));
  const doneText = (kind) => texts.done[kind] || texts.doneOther || "Done.";
  const urlsBlock = document.getElementById("script-urls");
  const urls = urlsBlock ? JSON.parse(urlsBlock.textContent) : {};
  // A URL of the page's map, with an id where it needs one.
  const url = (name, id) => (id == null ? urls[name] : urls[name].replace("__id__", encodeURIComponent(id)));
  const csrf = () => (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  async function post(to, data) {
    const response = await fetch(to, { method: "POST", body: data, headers: { Accept: "application/json", "X-CSRFToken": csrf() }, credentials: "same-origin" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  // The action's Celery task state: "done", "failed", or "queued" when the deadline passed
  // (the worker is down: the action stays queued and is applied later).
  async function waitFor(actionId, seconds = 60) {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const response = await fetch(url("actionStatus", actionId), { headers: { Accept: "application/json" }, credentials: "same-origin" });
      // Its state cannot be read right now (e.g. Redis is down): never claim it done.
      if (!response.ok) return { state: "queued" };
      const state = await response.json();
      if (state.state !== "pending") return state;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return { state: "queued" };
  }

  let toastTimer = null;
  let onUndo = null;
  const toast = document.getElementById("toast");
  if (toast) toast.querySelector("[data-undo]").addEventListener("click", () => { const run = onUndo; onUndo = null; if (run) run(); });

  function showToast(text, { error = false, undo = null } = {}) {
    if (!toast) return;
    toast.hidden = false;
    toast.classList.toggle("error", error);
    toast.querySelector(".toast-text").textContent = text;
    toast.querySelector("[data-undo]").hidden = !undo;
    onUndo = undo;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.hidden = true; onUndo = null; }, 10000);
  }
  const runUndo = () => { const run = onUndo; onUndo = null; if (run) run(); };

  // An action done on the message page, to be offered for undo on the list it returns to.
  const HANDOVER = "webmail:undo-after-navigation";
  function handOver(actionId, kind) {
    try { sessionStorage.setItem(HANDOVER, JSON.stringify({ actionId, kind, at: Date.now() })); } catch (error) { /* private mode */ }
  }
  function takeHandOver() {
    try {
      const raw = sessionStorage.getItem(HANDOVER);
      sessionStorage.removeItem(HANDOVER);
      const value = raw ? JSON.parse(raw) : null;
      return value && Date.now() - value.at < 10000 ? value : null;
    } catch (error) { return null; }
  }

  // Filed from a message page that then came back here: offer its undo on this page
  // (the list, or an empty folder's page), which reloads once it is undone.
  const handed = takeHandOver();
  if (handed && toast) {
    document.body.dataset.quietUntil = String(Date.now() + 10500);
    showToast(doneText(handed.kind), { undo: async () => {
      try {
        const { action_id: undoId } = await post(url("actionUndo", handed.actionId), new FormData());
        const state = await waitFor(undoId);
        if (state.state !== "done") throw new Error(state.error || "undo failed");
        window.location.reload();
      } catch (error) { showToast(say("couldNotUndo", error.message), { error: true }); }
    } });
  }

  // A page's keyboard shortcuts: `keys()` maps a key to its action at the moment it is
  // pressed. Ignored while typing or with a modifier; "?" and Escape open and close the help.
  function onShortcuts(keys) {
    const help = document.getElementById("help");
    const toggleHelp = (open) => {
      if (!help) return;
      help.hidden = !open;
      if (open) help.querySelector("[data-help-close]").focus();
    };
    const opener = document.querySelector("[data-help]");
    if (opener) opener.addEventListener("click", () => toggleHelp(true));
    if (help) help.querySelector("[data-help-close]").addEventListener("click", () => toggleHelp(false));
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "Escape") { toggleHelp(false); return; }
      const tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
      const run = event.key === "?" ? () => toggleHelp(help && help.hidden) : keys()[event.key];
      if (run) { event.preventDefault(); run(); }
    });
  }

  // The message last open in a folder, so its list can put the cursor back on it.
  const LAST_READ = "webmail:last-read";
  function rememberRead(folder, uid) {
    try { sessionStorage.setItem(LAST_READ, JSON.stringify({ folder, uid: String(uid) })); } catch (error) { /* private mode */ }
  }
  function lastRead(folder) {
    try {
      const value = JSON.parse(sessionStorage.getItem(LAST_READ) || "null");
      return value && value.folder === folder ? value.uid : null;
    } catch (error) { return null; }
  }

  return { texts, say, doneText, url, post, waitFor, showToast, runUndo, handOver, rememberRead, lastRead, onShortcuts };
})();
