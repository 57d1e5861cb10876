// The conversation page: filing the whole conversation (every message of it in this folder)
// without a form round trip, then on to the next conversation of the list, or back to the list
// at its end (in the list's reading pane, the list files it and opens the next row); j and k
// step through the conversations. Without this file the toolbar is a plain form that posts its
// action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("conversation-form");
  if (!form) return;
  const { say, filingForm } = window.Webmail;
  const listUrl = form.dataset.listUrl;
  const inPane = document.body.classList.contains("in-pane") && window.parent !== window;
  const MOVE_LIKE = new Set(["archive", "junk", "notjunk", "delete", "delete_permanently", "move"]);

  // Filed away, the page goes on to the next conversation of the list (asked of the server
  // while this one is still there), or back to the list when it was the last.
  async function whereTo(kind) {
    const next = document.querySelector("[data-step=next]");
    if (inPane || !next || !MOVE_LIKE.has(kind)) return listUrl;
    try {
      const response = await fetch(next.href, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const answer = response.ok ? await response.json() : {};
      return answer.url || listUrl;
    } catch (error) { return listUrl; }
  }

  const act = filingForm(form, {
    uids: Array.from(form.querySelectorAll("input[name=uid]"), (box) => box.value),
    stays: (kind) => kind === "flag" || kind === "unflag" || kind === "read",
    whereTo,
  });

  const follow = (selector) => {
    const link = document.querySelector(selector);
    if (link) (link.target === "_top" ? window.top : window).location.assign(link.href);
  };
  window.Webmail.onShortcuts(() => ({
    j: () => follow("[data-step=next]"), k: () => follow("[data-step=previous]"),
    u: () => follow("[data-back]"), e: () => act("archive"), U: () => act("unread"), s: () => act("flag"),
    "#": () => (form.dataset.special === "trash" ? (window.confirm(say("confirmForever")) && act("delete_permanently")) : act("delete")),
    v: () => form.querySelector("[name=target]").focus(),
  }));
})();
