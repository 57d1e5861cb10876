// The list page on a wide screen: the reading pane (a frame of ours showing the same
// /mail/<folder>/<uid>/ page without the app around it, `?pane=1`) beside or below the
// list, its size remembered for the person, which moves on to the next row when its message is
// filed; and the contextual toolbar, whose actions on messages appear once some are selected.
// Without this file the list opens messages as pages and shows every action.
"use strict";
(() => {
  const layout = document.querySelector("[data-reading-layout]");
  const form = document.getElementById("list-form");
  const toolbar = form && form.querySelector("[data-contextual]");

  if (toolbar) {
    const count = toolbar.querySelector("[data-selection-count]");
    const update = () => {
      const n = form.querySelectorAll("tr.message:not([hidden]) input[name=uid]:checked, tr.message:not([hidden]) input[name=ref]:checked").length;
      toolbar.classList.toggle("has-selection", n > 0);
      if (count) count.textContent = n > 0 ? String(n) : "";
    };
    toolbar.classList.add("js-contextual");
    form.addEventListener("change", update);
    // Keyboard selection (x) and the list's own updates change rows without a change event.
    new MutationObserver(update).observe(form, { subtree: true, attributes: true, attributeFilter: ["class", "hidden"] });
    update();
  }

  if (!layout || layout.dataset.pane === "off") return;
  const pane = layout.querySelector("[data-reading-pane]");
  const frame = layout.querySelector("[data-pane-frame]");
  const empty = layout.querySelector("[data-pane-empty]");
  const splitter = layout.querySelector("[data-pane-splitter]");
  const below = layout.dataset.pane === "below";
  const wide = window.matchMedia("(min-width: 85rem)");
  let split = Number(layout.dataset.split) || 45;

  function fit() {
    // The panes fill the window below the top bar; each scrolls on its own.
    const top = layout.getBoundingClientRect().top + window.scrollY;
    layout.style.setProperty("--pane-height", `${Math.max(320, window.innerHeight - top - 8)}px`);
  }
  function applySplit() {
    layout.style.setProperty("--list-share", `${split}%`);
    splitter.setAttribute("aria-valuenow", String(split));
  }
  function activate() {
    const on = wide.matches;
    layout.classList.toggle("pane-active", on);
    pane.hidden = !on;
    splitter.hidden = !on;
    if (on) { fit(); applySplit(); }
  }

  // The row shown in the pane is "open"; the keyboard's cursor (mail.js) goes there too, so
  // that j/k and Enter carry on from it.
  function mark(row, { cursor = true } = {}) {
    if (!form) return;
    for (const other of form.querySelectorAll("tr.message.open")) other.classList.remove("open");
    if (!row) return;
    row.classList.add("open");
    if (!cursor) return;
    for (const other of form.querySelectorAll("tr.message.cursor")) other.classList.remove("cursor");
    row.classList.add("cursor");
    document.dispatchEvent(new CustomEvent("webmail:rows-changed"));
  }

  function open(link) {
    const target = new URL(link.href, window.location.href);
    target.searchParams.set("pane", "1");
    frame.src = target.pathname + target.search;
    frame.hidden = false;
    empty.hidden = true;
    const row = link.closest("tr.message");
    mark(row);
    if (row) row.classList.remove("unread"); // opening marks it read (as the message page does)
  }

  function close() {
    frame.hidden = true; // (its page stays loaded, out of sight: the next open replaces it)
    empty.hidden = false;
    mark(null);
  }

  // The row that stands for exactly these messages: a message's, or a conversation's with all of them.
  function rowOf(uids) {
    const wanted = new Set(Array.from(uids, String));
    return Array.from(form.querySelectorAll("tr.message:not([hidden])")).find((row) => {
      const own = (row.dataset.uids || row.dataset.uid || "").split(" ");
      return own.length === wanted.size && own.every((uid) => wanted.has(uid));
    }) || null;
  }

  // What the pane shows (a message or a conversation, also after stepping inside it with j/k):
  // its row is the open one, also once live.js has fetched the rows again.
  function syncOpen({ cursor = true } = {}) {
    if (!form) return;
    let page = null;
    try { page = frame.hidden ? null : frame.contentDocument; } catch (error) { return; }
    const shown = page && (page.getElementById("message-form") || page.getElementById("conversation-form"));
    if (!shown) return;
    const row = shown.dataset.folder === form.dataset.folder ? rowOf(Array.from(shown.querySelectorAll("input[name=uid]"), (box) => box.value)) : null;
    if (row) mark(row, { cursor });
    else for (const other of form.querySelectorAll("tr.message.open")) other.classList.remove("open");
  }

  // The pane's message filed from the pane (its toolbar or keyboard, actions.js): the list files
  // its row, as if selected, so the toast, the undo and the counts are the list's. False when the
  // row is not on this page (the pane files it itself then).
  window.Webmail.fileFromPane = ({ kind, extra, folder, uids, notice }) => {
    if (!form || !layout.classList.contains("pane-active") || folder !== form.dataset.folder) return false;
    const row = rowOf(uids);
    if (!row) return false;
    form.dispatchEvent(new CustomEvent("webmail:file-rows", { detail: { kind, extra: { ...extra }, rows: [row], notice } }));
    if (kind === "unread") close(); // back to the list, as from the message page
    return true;
  };

  // Rows leaving the list (mail.js: filed from the pane or from the list): if the open one is
  // among them, the pane shows the next row (the one below; above, if it was the last), as in
  // Gmail or Roundcube, and the list keeps its place.
  document.addEventListener("webmail:rows-leaving", (event) => {
    const current = form && form.querySelector("tr.message.open");
    if (!current || !layout.classList.contains("pane-active") || !event.detail.rows.includes(current)) return;
    const all = Array.from(form.querySelectorAll("tr.message"));
    const at = all.indexOf(current);
    const next = all.slice(at + 1).find((row) => !row.hidden) || all.slice(0, at).reverse().find((row) => !row.hidden);
    const link = next && next.querySelector(".col-subject a");
    if (!link) { close(); return; }
    open(link);
    next.scrollIntoView({ block: "nearest" });
  });
  frame.addEventListener("load", () => syncOpen());
  document.addEventListener("webmail:list-refreshed", () => syncOpen({ cursor: false }));

  form && form.addEventListener("click", (event) => {
    const link = event.target.closest(".col-subject a");
    if (!link || !layout.classList.contains("pane-active")) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return; // a new tab stays a new tab
    event.preventDefault();
    open(link);
  });

  // Dragging (or arrow keys on) the splitter; the size is saved when the drag ends.
  let saveTimer = null;
  function save() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const data = new FormData();
      data.append("split", String(split));
      const token = document.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(layout.dataset.saveUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": token ? token.value : "" } });
    }, 300);
  }
  function setSplit(value) { split = Math.round(Math.min(80, Math.max(20, value))); applySplit(); }
  splitter.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    splitter.setPointerCapture(event.pointerId);
    frame.classList.add("dragging"); // the frame would swallow the pointer's moves
    const box = layout.getBoundingClientRect();
    const move = (e) => setSplit(below ? ((e.clientY - box.top) / box.height) * 100 : ((e.clientX - box.left) / box.width) * 100);
    const up = () => {
      splitter.removeEventListener("pointermove", move);
      frame.classList.remove("dragging");
      save();
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("pointerup", up, { once: true });
  });
  splitter.addEventListener("keydown", (event) => {
    const step = { ArrowLeft: -5, ArrowUp: -5, ArrowRight: 5, ArrowDown: 5 }[event.key];
    if (!step) return;
    event.preventDefault();
    setSplit(split + step);
    save();
  });

  wide.addEventListener("change", activate);
  window.addEventListener("resize", () => { if (layout.classList.contains("pane-active")) fit(); });
  activate();
})();
