// What the list page (mail.js, live.js) and the message and conversation pages (message.js,
// conversation.js) share: the translated texts, the URLs, posting an action, waiting for its
// Celery task, the toast, and the filing toolbar of a message or conversation page.
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

  // An action done on the message page, to be offered for undo on the page it goes to (the
  // list, or the next message). `reopen`: the filed message's page and its UID where it went,
  // to open it again once it is back.
  const HANDOVER = "webmail:undo-after-navigation";
  function handOver(actionId, kind, reopen = null) {
    try { sessionStorage.setItem(HANDOVER, JSON.stringify({ actionId, kind, reopen, at: Date.now() })); } catch (error) { /* private mode */ }
  }
  function takeHandOver() {
    try {
      const raw = sessionStorage.getItem(HANDOVER);
      sessionStorage.removeItem(HANDOVER);
      const value = raw ? JSON.parse(raw) : null;
      return value && Date.now() - value.at < 10000 ? value : null;
    } catch (error) { return null; }
  }

  // Filed from a message page that then came here: offer its undo on this page (the list, an
  // empty folder's page, the next message), which reloads once it is undone, or opens the
  // message again (under its new UID: moved back, it is a new message to the server).
  const handed = takeHandOver();
  if (handed && toast) {
    document.body.dataset.quietUntil = String(Date.now() + 10500);
    showToast(doneText(handed.kind), { undo: async () => {
      try {
        const { action_id: undoId } = await post(url("actionUndo", handed.actionId), new FormData());
        const state = await waitFor(undoId);
        if (state.state !== "done") throw new Error(state.error || "undo failed");
        const back = handed.reopen && state.result && state.result.moved && state.result.moved[String(handed.reopen.uid)];
        if (back) window.location.assign(handed.reopen.page.replace(/\/\d+\/$/, `/${back}/`));
        else window.location.reload();
      } catch (error) { showToast(say("couldNotUndo", error.message), { error: true }); }
    } });
  }

  // A message's or a conversation's page: its toolbar (`form`, a submit button per action) files
  // `uids` without a form round trip. Kinds that `stays` keeps the page (after `change`, an
  // optimistic change that returns its undoing); the others leave it, once done, for
  // `whereTo(kind)` (the list by default), which offers the undo. In the list's reading pane
  // the list files them instead: its row goes and the next one opens (reading_pane.js).
  // Returns `act(kind, extra)`, for the keyboard.
  const inPane = document.body.classList.contains("in-pane") && window.parent !== window;
  function filingForm(form, { uids, stays, change = () => null, whereTo = async () => form.dataset.listUrl }) {
    let busy = false;
    async function act(kind, extra = {}) {
      if (busy) return;
      const staying = stays(kind);
      if (inPane && !staying && fileInList({ kind, extra, folder: form.dataset.folder, uids })) return;
      busy = true;
      const undoChange = staying ? change(kind) : null;
      if (!undoChange) showToast(say("working"));
      const data = new FormData();
      data.append("action", kind);
      data.append("folder", form.dataset.folder);
      uids.forEach((uid) => data.append("uid", uid));
      for (const [k, v] of Object.entries(extra)) if (v) data.append(k, v);
      try {
        // Where to go is asked before the message is gone (its neighbours are found by its place).
        const goTo = staying ? null : await whereTo(kind);
        const { action_id: actionId } = await post(url("actions"), data);
        const state = await waitFor(actionId, staying ? 60 : 15);
        if (state.state === "failed") throw new Error(state.error);
        if (staying) { showToast(state.notice || doneText(kind)); return; }
        const moved = (state.result && state.result.moved) || {};
        const reopen = goTo !== form.dataset.listUrl && uids.length === 1 && moved[String(uids[0])]
          ? { page: window.location.pathname, uid: moved[String(uids[0])] } : null;
        if (state.state === "done" && state.undo) handOver(actionId, kind, reopen);
        else if (state.state === "queued") showToast(say("queued"));
        (inPane ? window.top : window).location.assign(goTo);
      } catch (error) {
        if (undoChange) undoChange();
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
      } else act(kind);
    });
    return act;
  }

  // In the reading pane: the list around it files what the pane shows, if its row is there
  // (`what`: kind, extra, folder, uids, notice). False when it is not (the pane does it then).
  function fileInList(what) {
    try {
      const list = window.parent.Webmail;
      return Boolean(list && list.fileFromPane && list.fileFromPane(what));
    } catch (error) { return false; } // not the app's own page around this frame
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

  // Where a message or conversation page goes once filed away (`filingForm`'s `whereTo`): the
  // next one of the list (its page's `[data-step=next]` link, asked of the server while this one
  // is still there), or back to `listUrl` at the list's end, in the pane, or for other kinds.
  const MOVES_AWAY = new Set(["archive", "junk", "notjunk", "delete", "delete_permanently", "move"]);
  function nextOrList(listUrl) {
    return async (kind) => {
      const next = document.querySelector("[data-step=next]");
      if (inPane || !next || !MOVES_AWAY.has(kind)) return listUrl;
      try {
        const response = await fetch(next.href, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        const answer = response.ok ? await response.json() : {};
        return answer.url || listUrl;
      } catch (error) { return listUrl; }
    };
  }

  return { texts, say, doneText, url, post, waitFor, showToast, runUndo, handOver, rememberRead, lastRead, onShortcuts, filingForm, fileInList, inPane, nextOrList };
})();
