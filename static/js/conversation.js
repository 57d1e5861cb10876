// The conversation page: filing the whole conversation (every message of it in this folder)
// without a form round trip, then on to the next conversation of the list, or back to the list
// at its end (in the list's reading pane, the list files it and opens the next row); j and k
// step through the conversations. Without this file the toolbar is a plain form that posts its
// action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("conversation-form");
  if (!form) return;
  const { say, filingForm, nextOrList } = window.Webmail;
  // Filed away, the page goes on to the next conversation of the list, or back to the list at its end.
  const act = filingForm(form, {
    uids: Array.from(form.querySelectorAll("input[name=uid]"), (box) => box.value),
    stays: (kind) => kind === "flag" || kind === "unflag" || kind === "read",
    whereTo: nextOrList(form.dataset.listUrl),
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
