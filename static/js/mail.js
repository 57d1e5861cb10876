// Filing mail without reloading: optimistic updates, Celery-backed actions, undo,
// keyboard shortcuts and drag and drop. Progressive enhancement: without this file
// the toolbar is a plain form that posts its action.
"use strict";
(() => {
  const form = document.getElementById("list-form");
  if (!form) return;
  const folder = form.dataset.folder;
  const { say, doneText, url, post, waitFor, showToast } = window.Webmail;

  // A reload that has something to say: the next page shows it (this tab only).
  const TOAST_KEY = "webmail:toast-after-reload";
  function reloadSaying(text) {
    try { window.sessionStorage.setItem(TOAST_KEY, text); } catch (error) { /* storage off: no message */ }
    window.location.reload();
  }
  try {
    const pending = window.sessionStorage.getItem(TOAST_KEY);
    if (pending) { window.sessionStorage.removeItem(TOAST_KEY); showToast(pending); }
  } catch (error) { /* storage off */ }
  const MOVE_LIKE = new Set(["archive", "junk", "notjunk", "delete", "move", "delete_permanently", "empty", "snooze"]);
  // Search results come from several folders: their checkboxes name folder and UID (`ref`),
  // the server queues one action per folder, and the page reloads after an undo.
  const crossFolder = form.dataset.crossFolder === "1";
  const BOX = "input[name=uid], input[name=ref]";

  const rows = () => Array.from(form.querySelectorAll("tr.message:not([hidden])"));
  const checked = () => rows().filter((r) => r.querySelector(BOX).checked);
  let cursor = 0;

  async function refreshTree() {
    const nav = document.getElementById("folders");
    const response = await fetch(`${url("folderTree")}?current=${encodeURIComponent(folder)}`, { credentials: "same-origin" });
    if (response.ok) { nav.innerHTML = await response.text(); wireDropTargets(); }
  }

  function adjustTotal(delta) {
    const summary = document.querySelector(".folder-summary[data-total]");
    if (!summary) return;
    const total = Math.max(0, Number(summary.dataset.total) + delta);
    summary.dataset.total = String(total);
    summary.textContent = summary.textContent.replace(/\d[\d,.\s]*/, `${total} `);
  }

  function renumber(row, uid) {
    // The live stream may already have added the moved-back message as a new row: keep one.
    for (const twin of document.querySelectorAll(`#list-form tr.message[data-uid="${Number(uid)}"]`)) {
      if (twin !== row) twin.remove();
    }
    row.dataset.uid = uid;
    row.querySelector(BOX).value = uid;
    const link = row.querySelector(".col-subject a");
    link.href = link.getAttribute("href").replace(/\/\d+\/$/, `/${uid}/`);
  }

  // Rows taken off the list: the reading pane moves on if it shows one of them (reading_pane.js).
  const leaving = (targets) => document.dispatchEvent(new CustomEvent("webmail:rows-leaving", { detail: { rows: targets } }));

  function applyOptimistic(kind, targets) {
    const undoers = [];
    for (const row of targets) {
      if (MOVE_LIKE.has(kind)) { row.hidden = true; undoers.push(() => { row.hidden = false; }); }
      else if (kind === "read" || kind === "unread" || kind === "mark_folder_read") {
        const was = row.classList.contains("unread");
        row.classList.toggle("unread", kind === "unread");
        undoers.push(() => row.classList.toggle("unread", was));
      } else if (kind === "flag" || kind === "unflag") {
        const star = row.querySelector(".star");
        const was = !star.hidden;
        star.hidden = kind === "unflag"; row.classList.toggle("flagged", kind === "flag");
        undoers.push(() => { star.hidden = !was; row.classList.toggle("flagged", was); });
      }
      row.classList.add("pending");
    }
    return () => undoers.forEach((f) => f());
  }

  // `chosen`: the rows to act on (the reading pane's), whatever is selected.
  async function runAction(kind, extra = {}, chosen = null) {
    const all = form.querySelector("[data-select-all]");
    const wholeFolder = !chosen && (kind === "empty" || kind === "mark_folder_read" || (all && all.checked));
    let targets = chosen || (wholeFolder ? rows() : checked());
    if (!targets.length && !wholeFolder && rows()[cursor]) targets = [rows()[cursor]];
    if (!targets.length && !wholeFolder) { showToast(say("selectFirst"), { error: true }); return; }
    const data = new FormData();
    data.append("action", kind);
    if (!crossFolder) data.append("folder", folder);
    if (crossFolder && wholeFolder) {
      // "Select all N results": the server finds every match again, in every folder searched.
      data.append("all", "1");
      for (const name of ["search", "q", "body", "everywhere"]) {
        const hidden = form.querySelector(`input[type=hidden][name=${name}]`);
        if (hidden) data.append(name, hidden.value);
      }
    }
    else if (crossFolder) targets.forEach((r) => data.append("ref", r.dataset.ref));
    else if (wholeFolder) {
      data.append("all", "1");
      for (const name of ["q", "body"]) {
        const hidden = form.querySelector(`input[type=hidden][name=${name}]`);
        if (hidden) data.append(name, hidden.value);
      }
    }
    // A conversation row stands for all of its messages (`data-uids`).
    else targets.forEach((r) => (r.dataset.uids || r.dataset.uid).split(" ").forEach((uid) => data.append("uid", uid)));
    for (const [k, v] of Object.entries(extra)) if (v) data.append(k, v);
    const revert = applyOptimistic(kind, targets);
    if (MOVE_LIKE.has(kind)) leaving(targets);
    document.body.dataset.quietUntil = String(Date.now() + 75000);
    try {
      const { action_id: actionId, action_ids: actionIds } = await post(url("actions"), data);
      if (!actionId) { targets.forEach((r) => r.classList.remove("pending")); return; }
      const state = crossFolder ? await waitForAll(actionIds || [actionId]) : await waitFor(actionId);
      targets.forEach((r) => r.classList.remove("pending"));
      if (state.state === "failed") { revert(); document.body.dataset.quietUntil = "0"; showToast(say("notDone", state.error), { error: true }); return; }
      if (state.state === "queued") { showToast(say("queued")); return; }
      targets.forEach((r) => r.querySelector(BOX).checked = false);
      const moved = (state.result && state.result.moved) || {};
      const undoIt = crossFolder ? () => undoAll(actionIds || [actionId]) : () => undo({ kind, actionId, revert, targets, moved });
      showToast(state.notice || doneText(kind), { undo: state.undo ? undoIt : null });
      document.body.dataset.quietUntil = String(Date.now() + (state.undo ? 10500 : 0));
      if (MOVE_LIKE.has(kind)) adjustTotal(crossFolder && wholeFolder ? -Infinity : -targets.length);
      refreshTree();
    } catch (error) {
      revert();
      document.body.dataset.quietUntil = "0";
      targets.forEach((r) => r.classList.remove("pending"));
      showToast(say("notDone", error.message), { error: true });
    }
  }

  async function undo({ kind, actionId, revert, targets, moved }) {
    try {
      const { action_id: undoId } = await post(url("actionUndo", actionId), new FormData());
      const state = await waitFor(undoId);
      if (state.state !== "done") throw new Error(state.error || "undo failed");
      // Moved back, the messages have new UIDs: old → (moved away) → (moved back).
      const back = (state.result && state.result.moved) || {};
      for (const row of targets) {
        const fresh = back[String(moved[row.dataset.uid])];
        if (fresh) renumber(row, String(fresh));
      }
      // Conversation rows came back with new UIDs of several messages, or the list was
      // refetched meanwhile (a conversation list does so when mail leaves): show it afresh.
      if (targets.some((r) => r.dataset.uids || !r.isConnected)) { reloadSaying(say("undone")); return; }
      revert();
      if (MOVE_LIKE.has(kind)) adjustTotal(targets.length);
      showToast(say("undone"));
      document.body.dataset.quietUntil = "0";
      refreshTree();
    } catch (error) { showToast(say("couldNotUndo", error.message), { error: true }); }
  }

  // Several actions (one per folder) as one: failed if any failed, queued if any is.
  async function waitForAll(ids) {
    const states = await Promise.all(ids.map((id) => waitFor(id)));
    const failed = states.find((s) => s.state === "failed");
    if (failed) return failed;
    if (states.some((s) => s.state === "queued")) return { state: "queued" };
    return { state: "done", undo: states.every((s) => s.undo), notice: states.map((s) => s.notice).filter(Boolean).join(" "), result: {} };
  }

  async function undoAll(ids) {
    try {
      for (const id of ids) {
        const { action_id: undoId } = await post(url("actionUndo", id), new FormData());
        const state = await waitFor(undoId);
        if (state.state !== "done") throw new Error(state.error || "undo failed");
      }
      reloadSaying(say("undone"));
    } catch (error) { showToast(say("couldNotUndo", error.message), { error: true }); }
  }

  function confirmPermanent() {
    if (window.confirm(say("confirmForever"))) runAction("delete_permanently");
  }
  let shiftHeld = false;
  document.addEventListener("keydown", (event) => { shiftHeld = event.shiftKey; });
  document.addEventListener("keyup", (event) => { shiftHeld = event.shiftKey; });
  form.addEventListener("click", (event) => { shiftHeld = event.shiftKey; }, true);

  form.addEventListener("submit", (event) => {
    // Snooze buttons post to their own URL (formaction): a plain form post, except for a
    // selection across pages ("select all N") or folders (search results), which the worker
    // snoozes as it does every action on such a selection, with the same toast.
    if (event.submitter && event.submitter.hasAttribute("formaction")) {
      const all = form.querySelector("[data-select-all]");
      if (event.submitter.name !== "choice" || !(crossFolder || (all && all.checked))) return;
      event.preventDefault();
      event.submitter.closest("details").open = false;
      const field = (name) => { const input = form.querySelector(`[name=${name}]`); return input ? input.value : ""; };
      runAction("snooze", { choice: event.submitter.value, custom: field("custom"), tz_offset: field("tz_offset") });
      return;
    }
    const kind = event.submitter && event.submitter.value;
    if (!kind) return;
    event.preventDefault();
    if (kind === "delete" && shiftHeld) { confirmPermanent(); return; }
    const extra = {};
    if (kind === "mark_folder_read") {
      if (!window.confirm(say("confirmFolderRead"))) return;
      extra.confirm = "1";
    }
    if (kind === "move" || kind === "copy") extra.target = form.querySelector("[name=target]").value.trim();
    if (kind.startsWith("label")) extra.keyword = form.querySelector("[name=keyword]").value.trim();
    if ((kind === "move" || kind === "copy") && !extra.target) { showToast(say("chooseFolder"), { error: true }); return; }
    runAction(kind, extra);
  });

  const selectPage = form.querySelector("[data-select-page]");
  if (selectPage) selectPage.addEventListener("change", () => rows().forEach((r) => { r.querySelector(BOX).checked = selectPage.checked; r.classList.toggle("selected", selectPage.checked); }));
  form.addEventListener("change", (event) => {
    if (event.target.name === "uid" || event.target.name === "ref") event.target.closest("tr").classList.toggle("selected", event.target.checked);
  });

  function moveCursor(delta) {
    const list = rows();
    if (!list.length) return;
    list.forEach((r) => r.classList.remove("cursor"));
    cursor = Math.max(0, Math.min(list.length - 1, cursor + delta));
    list[cursor].classList.add("cursor");
    list[cursor].scrollIntoView({ block: "nearest" });
  }

  window.Webmail.onShortcuts(() => {
    const row = rows()[cursor];
    return {
      j: () => moveCursor(1), k: () => moveCursor(-1),
      x: () => { if (row) { const box = row.querySelector(BOX); box.checked = !box.checked; row.classList.toggle("selected", box.checked); } },
      s: () => { const target = checked()[0] || row; if (target) runAction(target.classList.contains("flagged") ? "unflag" : "flag"); },
      U: () => runAction("read"), u: () => runAction("unread"), e: () => runAction("archive"),
      "#": () => (form.dataset.special === "trash" ? confirmPermanent() : runAction("delete")),
      v: () => form.querySelector("[name=target]").focus(), z: () => window.Webmail.runUndo(),
      c: () => { window.location.href = url("compose"); },
      "/": () => { const box = document.getElementById("search-q"); if (box) { box.focus(); box.select(); } },
      Enter: () => { if (row) row.querySelector(".col-subject a").click(); },
    };
  });

  // Drag rows onto a folder in the tree to move them there.
  form.addEventListener("dragstart", (event) => {
    const row = event.target.closest("tr.message");
    if (!row) return;
    const uids = checked().length && row.querySelector(BOX).checked ? checked().map((r) => r.dataset.uid) : [row.dataset.uid];
    event.dataTransfer.setData("application/x-webmail-uids", JSON.stringify(uids));
    event.dataTransfer.effectAllowed = "move";
  });
  function wireDropTargets() {
    document.querySelectorAll("#folders a[data-folder]").forEach((link) => {
      const li = link.closest("li");
      link.addEventListener("dragover", (event) => { event.preventDefault(); li.classList.add("drop-target"); });
      link.addEventListener("dragleave", () => li.classList.remove("drop-target"));
      link.addEventListener("drop", (event) => {
        event.preventDefault();
        li.classList.remove("drop-target");
        const uids = JSON.parse(event.dataTransfer.getData("application/x-webmail-uids") || "[]");
        if (!uids.length || link.dataset.folder === folder) return;
        rows().forEach((r) => { const box = r.querySelector(BOX); box.checked = uids.includes(r.dataset.uid); });
        runAction("move", { target: link.dataset.folder });
      });
    });
  }
  wireDropTargets();
  // Back from a message: the cursor is on the message that was open, to carry on from there.
  const lastRead = window.Webmail.lastRead(folder);
  const lastIndex = rows().findIndex((r) => r.dataset.uid === lastRead);
  moveCursor(lastIndex > 0 ? lastIndex : 0);

  // Rows added or removed by live.js (or the list refetched): the cursor stays on its message
  // (or, when that one left, on the row now in its place), without scrolling.
  function keepCursor() {
    const list = rows();
    const at = list.findIndex((r) => r.classList.contains("cursor"));
    cursor = at >= 0 ? at : Math.max(0, Math.min(cursor, list.length - 1));
    list.forEach((r, i) => r.classList.toggle("cursor", i === cursor));
  }
  // The reading pane's message filed from the pane (reading_pane.js): its row, as if selected;
  // a snoozed one is gone already (the pane snoozed it), with what the server said.
  form.addEventListener("webmail:file-rows", (event) => {
    const { kind, extra, rows: chosen, notice } = event.detail;
    if (kind !== "snoozed") { runAction(kind, extra, chosen); return; }
    chosen.forEach((row) => { row.hidden = true; row.querySelector(BOX).checked = false; });
    leaving(chosen);
    adjustTotal(-chosen.length);
    showToast(notice || doneText(kind));
    refreshTree();
  });

  document.addEventListener("webmail:list-refreshed", () => { wireDropTargets(); keepCursor(); });
  document.addEventListener("webmail:rows-changed", keepCursor);
  document.addEventListener("webmail:tree-refreshed", wireDropTargets);
})();
