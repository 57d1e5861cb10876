// The conversation page: filing the whole conversation (every message of it in this folder)
// without a form round trip, then back to the list. Without this file the toolbar is a plain
// form that posts its action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("conversation-form");
  if (!form) return;
  const { say, doneText, url, post, waitFor, showToast, handOver } = window.Webmail;
  const listUrl = form.dataset.listUrl;
  const uids = Array.from(form.querySelectorAll("input[name=uid]"), (box) => box.value);
  let busy = false;

  async function act(kind, extra = {}) {
    if (busy) return;
    busy = true;
    const data = new FormData();
    data.append("action", kind);
    data.append("folder", form.dataset.folder);
    uids.forEach((uid) => data.append("uid", uid));
    for (const [k, v] of Object.entries(extra)) if (v) data.append(k, v);
    const stays = kind === "flag" || kind === "unflag" || kind === "read";
    showToast(say("working"));
    try {
      const { action_id: actionId } = await post(url("actions"), data);
      const state = await waitFor(actionId, stays ? 60 : 15);
      if (state.state === "failed") throw new Error(state.error);
      if (stays) { showToast(state.notice || doneText(kind)); return; }
      if (state.state === "done" && state.undo) handOver(actionId, kind);
      else if (state.state === "queued") showToast(say("queued"));
      window.location.assign(listUrl);
    } catch (error) {
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

  const follow = (selector) => { const link = document.querySelector(selector); if (link) window.location.assign(link.href); };
  window.Webmail.onShortcuts(() => ({
    u: () => follow("[data-back]"), e: () => act("archive"), U: () => act("unread"), s: () => act("flag"),
    "#": () => (form.dataset.special === "trash" ? (window.confirm(say("confirmForever")) && act("delete_permanently")) : act("delete")),
    v: () => form.querySelector("[name=target]").focus(),
  }));
})();
