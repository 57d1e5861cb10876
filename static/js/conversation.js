// The conversation page: filing the whole conversation (every message of it in this folder)
// without a form round trip, then back to the list (in the list's reading pane, the list files
// it and opens the next row). Without this file the toolbar is a plain form that posts its
// action and returns to the list.
"use strict";
(() => {
  const form = document.getElementById("conversation-form");
  if (!form) return;
  const { say, filingForm } = window.Webmail;
  const act = filingForm(form, {
    uids: Array.from(form.querySelectorAll("input[name=uid]"), (box) => box.value),
    stays: (kind) => kind === "flag" || kind === "unflag" || kind === "read",
  });

  const follow = (selector) => {
    const link = document.querySelector(selector);
    if (link) (link.target === "_top" ? window.top : window).location.assign(link.href);
  };
  window.Webmail.onShortcuts(() => ({
    u: () => follow("[data-back]"), e: () => act("archive"), U: () => act("unread"), s: () => act("flag"),
    "#": () => (form.dataset.special === "trash" ? (window.confirm(say("confirmForever")) && act("delete_permanently")) : act("delete")),
    v: () => form.querySelector("[name=target]").focus(),
  }));
})();
