// The live mailbox in an open page (list or message): listens to the person's event stream
// (Server-Sent Events from the event server, URL from the page's "live-config" block) and
// applies what happened elsewhere without a reload: new rows, flags, vanished messages,
// folder counts and the tab title, the folder tree, a resync. Without EventSource, or while
// the stream keeps failing (a proxy blocking it), an open list polls the folder's state
// every few seconds as before; while the stream is up it does not poll at all (an idle tab
// costs the mail server nothing). Progressive enhancement only; needs actions.js
// (window.Webmail) for the URL map.
"use strict";
(() => {
  const block = document.getElementById("live-config");
  if (!block || !window.Webmail) return;
  const config = JSON.parse(block.textContent);
  const texts = config.texts || {};
  const say = (key, n) => (texts[key] || key).replace("%s", String(n));
  const { url } = window.Webmail;
  const folder = config.folder;
  const list = config.list || null; // the list page shown: sort, order, page, searching, uidvalidity
  const shown = config.message || null; // the message page shown: uid
  const header = document.getElementById("list-header");
  const baseTitle = document.title;
  const KINDS = ["rows_added", "flags", "vanished", "counts", "folders", "resync", "signed_out", "threads_ready"];

  const rowOf = (uid) => document.querySelector(`#list-form tr.message[data-uid="${Number(uid)}"]`);
  const changed = (name) => document.dispatchEvent(new CustomEvent(name));

  // --- The tab title: "(3) Inbox — Webmail" from the INBOX count in the folder tree. ---
  function updateTitle() {
    const link = document.querySelector('#folders a[data-folder="INBOX"]');
    const badge = link && link.closest("li").querySelector(".unread-count");
    const unseen = badge ? Number(badge.textContent) || 0 : 0;
    document.title = unseen > 0 ? `(${unseen}) ${baseTitle}` : baseTitle;
  }

  // A person's requests are bounded across the server (429 with Retry-After past a few at
  // once: several tabs resyncing together can meet it), so a refetch waits its turn and retries.
  async function fetchPolitely(target, options) {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(target, options);
      if (response.status !== 429 || attempt >= 3) return response;
      const seconds = Math.min(10, Math.max(1, Number(response.headers.get("Retry-After")) || 2));
      await new Promise((resolve) => window.setTimeout(resolve, seconds * 1000));
    }
  }

  // --- Refetching what the page shows (a resync, the "show" bar, the fallback poll). ---
  let refreshing = null;
  let refreshAgain = false;
  async function refreshList() {
    const response = await fetchPolitely(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return false;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const oldBody = document.querySelector(".message-list tbody");
    const newBody = fresh.querySelector(".message-list tbody");
    if (!oldBody || !newBody) { window.location.reload(); return true; }
    // The selection and the keyboard cursor stay on the same messages.
    const picked = new Set(Array.from(oldBody.querySelectorAll("input[name=uid]:checked"), (box) => box.value));
    const cursorRow = oldBody.querySelector("tr.cursor");
    for (const box of newBody.querySelectorAll("input[name=uid]")) {
      if (picked.has(box.value)) { box.checked = true; box.closest("tr").classList.add("selected"); }
    }
    const cursorNow = cursorRow && newBody.querySelector(`tr[data-uid="${Number(cursorRow.dataset.uid)}"]`);
    if (cursorNow) cursorNow.classList.add("cursor");
    oldBody.replaceWith(document.adoptNode(newBody));
    for (const selector of [".folder-summary", "#folders"]) {
      const now = fresh.querySelector(selector);
      const old = document.querySelector(selector);
      if (now && old) old.replaceWith(document.adoptNode(now));
    }
    hideBar();
    updateTitle();
    changed("webmail:list-refreshed");
    return true;
  }
  function refresh() {
    if (refreshing) { refreshAgain = true; return refreshing; }
    refreshing = (async () => {
      try {
        do { refreshAgain = false; await refreshList(); } while (refreshAgain);
        return true;
      } catch (error) {
        return false; // offline or the server restarting: the next event or poll tries again
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function refreshTree() {
    const all = new URLSearchParams(window.location.search).get("all_folders") === "1" ? "&all_folders=1" : "";
    try {
      const response = await fetchPolitely(`${url("folderTree")}?current=${encodeURIComponent(folder)}${all}`, { credentials: "same-origin" });
      const nav = document.getElementById("folders");
      if (!response.ok || !nav) return;
      nav.innerHTML = await response.text();
      updateTitle();
      changed("webmail:tree-refreshed");
    } catch (error) { /* the next event or resync tries again */ }
  }

  // --- "N new messages — show": new rows that cannot be placed in this view. ---
  const bar = document.querySelector("[data-live-bar]");
  // UIDs, not a count: the same row can be announced twice (by this tab's action and by the
  // watcher's sync of it), and it is one new message.
  const waiting = new Set();
  function showBar(uids) {
    if (!bar) return;
    for (const uid of uids) waiting.add(uid);
    bar.querySelector("[data-live-bar-text]").textContent = say(waiting.size === 1 ? "newOne" : "newMany", waiting.size);
    bar.hidden = false;
  }
  function hideBar() { waiting.clear(); if (bar) bar.hidden = true; }
  const byDateNewestFirst = () => list && list.sort === "date" && list.order === "desc" && !list.searching;
  if (bar) {
    bar.querySelector("[data-live-show]").addEventListener("click", () => {
      if (byDateNewestFirst() && list.page > 1) {
        const first = new URL(window.location.href);
        first.searchParams.delete("page");
        window.location.assign(first.href);
      } else refresh();
    });
  }

  // --- Applying events. ---
  function rowFromHtml(html) {
    const holder = document.createElement("template");
    holder.innerHTML = `<table><tbody>${html}</tbody></table>`;
    return holder.content.querySelector("tr");
  }
  const rowTime = (row) => {
    const time = row.querySelector(".col-date time");
    const value = time ? Date.parse(time.getAttribute("datetime")) : NaN;
    return Number.isNaN(value) ? 0 : value / 1000;
  };

  // Keeps what the person looks at in place while rows are added above it.
  function keepingScroll(change) {
    const scroller = document.scrollingElement || document.documentElement;
    const anchor = scroller.scrollTop > 0
      ? Array.from(document.querySelectorAll("#list-form tr.message:not([hidden])")).find((row) => row.getBoundingClientRect().bottom > 0)
      : null;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    const done = change();
    const settle = () => {
      // A refetched list has new rows: the same message's row is the anchor then.
      const now = anchor && (anchor.isConnected ? anchor
        : document.querySelector(`#list-form tr.message[data-uid="${Number(anchor.dataset.uid)}"]`));
      if (!now) return;
      const moved = now.getBoundingClientRect().top - before;
      if (moved) scroller.scrollTop += moved; // (browsers with scroll anchoring have already: 0)
    };
    if (done && typeof done.then === "function") return done.then((result) => { settle(); return result; });
    settle();
    return done;
  }

  // A conversation row holds several messages (`data-uids`): is this UID one of them?
  const inConversation = (uid) => Array.from(document.querySelectorAll("#list-form tr.message[data-uids]"))
    .some((row) => row.dataset.uids.split(" ").includes(String(Number(uid))));

  function rowsAdded(data) {
    if (data.folder === "INBOX") notify(data.rows || []);
    if (!list || data.folder !== folder) return;
    if (data.uidvalidity && list.uidvalidity && data.uidvalidity !== list.uidvalidity) { refresh(); return; }
    const fresh = (data.rows || []).filter((r) => !rowOf(r.uid) && !inConversation(r.uid));
    if (!fresh.length) return;
    // Conversations: a message that starts a conversation of its own (the sync says `alone`)
    // is its conversation's row, inserted as in the flat list; one joining a conversation
    // changes a row that may be shown, so the page's rows are fetched again (never a
    // duplicate); later pages get the bar.
    const joins = list.grouped && (list.threaded || fresh.some((r) => r.alone !== true));
    if (joins) { if (list.page === 1 && byDateNewestFirst()) keepingScroll(refresh); else showBar(fresh.map((r) => r.uid)); return; }
    const body = document.querySelector(".message-list tbody");
    // "This folder is empty." has no rows to insert into: its first message is fetched as a page.
    if (!body && list.page === 1 && !list.searching) { refresh(); return; }
    if (!body || list.page !== 1 || !byDateNewestFirst()) { showBar(fresh.map((r) => r.uid)); return; }
    keepingScroll(() => {
      for (const item of fresh) {
        const row = rowFromHtml(item.html);
        if (!row) continue;
        const when = item.date != null ? Number(item.date) : Number(item.arrival || 0);
        const existing = Array.from(body.querySelectorAll("tr.message"));
        const before = existing.find((other) => rowTime(other) <= when);
        if (before) body.insertBefore(row, before);
        else if (existing.length < (list.perPage || 50)) body.appendChild(row);
        // else: older than the whole page, so it belongs on a later page
      }
    });
    const summary = list.grouped && document.querySelector(".folder-summary[data-total]");
    if (summary) {
      // "N conversations": the flat list's count comes with the counts event, this one does not.
      const total = Number(summary.dataset.total || 0) + fresh.length;
      summary.dataset.total = String(total);
      summary.textContent = summary.textContent.replace(/\d[\d,.\s]*/, `${total} `);
    }
    changed("webmail:rows-changed");
  }

  const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  // The label's colour, as the server picks it (zlib.crc32 of the name, modulo 8).
  function labelColor(name) {
    let crc = 0xffffffff;
    for (const byte of new TextEncoder().encode(name)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return ((crc ^ 0xffffffff) >>> 0) % 8;
  }

  function applyFlags(row, change) {
    row.classList.toggle("unread", !change.seen);
    row.classList.toggle("flagged", Boolean(change.flagged));
    row.classList.toggle("answered", Boolean(change.answered));
    const star = row.querySelector(".star");
    if (star) star.hidden = !change.flagged;
    const cell = row.querySelector(".col-subject");
    const link = cell && cell.querySelector("a");
    if (!link) return;
    const note = cell.querySelector(":scope > .visually-hidden");
    if (change.seen && note) note.remove();
    if (!change.seen && !note) {
      const span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = ` (${texts.unread || "unread"})`;
      cell.appendChild(span);
    }
    if (Array.isArray(change.labels)) {
      while (cell.firstChild && cell.firstChild !== link) cell.removeChild(cell.firstChild);
      for (const name of [...change.labels].sort()) {
        const chip = document.createElement("span");
        chip.className = `label-chip label-color-${labelColor(name)}`;
        chip.textContent = name;
        cell.insertBefore(chip, link);
        cell.insertBefore(document.createTextNode(" "), link);
      }
    }
  }

  function flags(data) {
    if (data.folder !== folder) return;
    if (list && data.uidvalidity && list.uidvalidity && data.uidvalidity !== list.uidvalidity) { refresh(); return; }
    if (list && list.grouped && (data.changes || []).some((change) => inConversation(change.uid))) { refresh(); return; }
    for (const change of data.changes || []) {
      const row = list && rowOf(change.uid);
      if (row) applyFlags(row, change);
      if (shown && Number(change.uid) === shown.uid) {
        const button = document.querySelector("#message-form [data-flag]");
        const star = document.querySelector(".message-subject .star");
        if (star) star.hidden = !change.flagged;
        if (button) {
          button.value = change.flagged ? "unflag" : "flag";
          button.setAttribute("aria-pressed", String(Boolean(change.flagged)));
          button.querySelector("[data-flag-label]").textContent = change.flagged ? button.dataset.unflagText : button.dataset.flagText;
        }
      }
    }
  }

  function vanished(data) {
    if (data.folder !== folder) return;
    if (list && data.uidvalidity && list.uidvalidity && data.uidvalidity !== list.uidvalidity) { refresh(); return; }
    const uids = new Set((data.uids || []).map(Number));
    if (shown && uids.has(shown.uid)) {
      const gone = document.querySelector("[data-live-gone]");
      if (gone) gone.hidden = false;
      // Filing it now could only fail: the message is not there any more.
      document.querySelectorAll("#message-form button, #message-form input").forEach((control) => { control.disabled = true; });
    }
    if (!list) return;
    if (list.grouped && Array.from(uids).some((uid) => inConversation(uid))) { refresh(); return; }
    let removed = 0;
    for (const uid of uids) {
      const row = rowOf(uid);
      if (row) { row.remove(); removed += 1; }
    }
    if (removed) changed("webmail:rows-changed");
  }

  function counts(data) {
    for (const [name, count] of Object.entries(data.folders || {})) {
      const link = document.querySelector(`#folders a[data-folder="${CSS.escape(name)}"]`);
      if (link) {
        const item = link.closest("li");
        let badge = item.querySelector(".unread-count");
        const unseen = Number(count.unseen) || 0;
        if (unseen > 0) {
          if (!badge) {
            badge = document.createElement("span");
            badge.className = "unread-count";
            link.after(" ", badge);
          }
          badge.textContent = String(unseen);
          badge.title = say(unseen === 1 ? "unreadOne" : "unreadMany", unseen);
        } else if (badge) badge.remove();
        item.classList.toggle("has-unread", unseen > 0);
      }
      const summary = document.querySelector(".folder-summary[data-total]");
      if (list && name === folder && !list.searching && !list.grouped && summary && count.messages != null) {
        summary.dataset.total = String(count.messages);
        summary.textContent = summary.textContent.replace(/\d[\d,.\s]*/, `${count.messages} `);
      }
    }
    updateTitle();
  }

  function resync(data) {
    if (list && (!data || data.folder == null || data.folder === folder)) refresh();
    else refreshTree();
  }

  // Signed out (in another tab or window): this page can read no more mail; to the sign-in page.
  // This tab's own sign-out is already on its way to the signed-out page (with its message).
  let signingOut = false;
  const logoutForm = document.querySelector(".logout-form");
  if (logoutForm) logoutForm.addEventListener("submit", () => { signingOut = true; });
  function signedOut() {
    stopPoll();
    if (signingOut) return;
    if (config.signIn) window.location.assign(config.signIn);
    else window.location.reload();  // the page's own URL now answers with the sign-in page
  }

  // The folder's conversations were built in the background while this list showed it flat
  // ("being prepared"): reload into them, unless the person is in the middle of something
  // (then the notice offers the link instead).
  function threadsReady(data) {
    if (!list || !list.threadsPending || data.folder !== folder) return;
    if (userIsWorking() || quiet()) {
      const link = document.querySelector("[data-threads-ready]");
      if (link) link.hidden = false;
      return;
    }
    window.location.reload();
  }

  const handlers = { rows_added: rowsAdded, flags, vanished, counts, folders: refreshTree, resync, signed_out: signedOut, threads_ready: threadsReady };

  // --- Desktop notifications, only if the person turned them on here. ---
  const NOTIFY_KEY = "webmail:notify";
  const notifyRow = document.querySelector("[data-live-notify-row]");
  const notifyButton = document.querySelector("[data-live-notify]");
  const stored = () => { try { return window.localStorage.getItem(NOTIFY_KEY) === "1"; } catch (error) { return false; } };
  const store = (on) => { try { if (on) window.localStorage.setItem(NOTIFY_KEY, "1"); else window.localStorage.removeItem(NOTIFY_KEY); } catch (error) { /* private mode */ } };
  const notifying = () => "Notification" in window && Notification.permission === "granted" && stored();
  function renderNotifyButton() {
    if (!notifyButton) return;
    const blocked = Notification.permission === "denied";
    notifyButton.disabled = blocked;
    notifyButton.textContent = blocked ? texts.notifyBlocked : notifying() ? texts.notifyOff : texts.notifyOn;
  }
  if (notifyRow && notifyButton && "Notification" in window && config.url && window.EventSource) {
    notifyRow.hidden = false;
    renderNotifyButton();
    notifyButton.addEventListener("click", async () => {
      if (notifying()) store(false);
      else if ((await Notification.requestPermission()) === "granted") store(true);
      renderNotifyButton();
    });
  }
  function notify(rows) {
    if (!notifying()) return;
    for (const item of rows) {
      const row = rowFromHtml(item.html || "");
      if (!row || !row.classList.contains("unread")) continue;
      const from = row.querySelector(".col-from");
      const link = row.querySelector(".col-subject a");
      // The same tag in every tab: one notification per message, however many tabs are open.
      const note = new Notification(from ? from.textContent : texts.newMail, { body: link ? link.textContent : "", tag: `webmail-new-${item.uid}` });
      if (link) note.addEventListener("click", () => { window.focus(); window.location.assign(link.getAttribute("href")); });
    }
  }

  // --- The fallback: the slow poll of the folder's state (list pages only). ---
  const pollEvery = header ? Math.max(1, Number(header.dataset.pollSeconds || 20)) * 1000 : 0;
  let state = header ? header.dataset.state : null;
  let pollTimer = null;
  let checking = false;
  // mail.js marks the page quiet while an action or its undo window is in progress.
  const quiet = () => Number(document.body.dataset.quietUntil || 0) > Date.now();
  const userIsWorking = () => document.querySelector("#list-form input[name=uid]:checked, #list-form tr.pending") !== null;
  async function check() {
    if (!pollTimer || checking || document.hidden || quiet() || userIsWorking()) return;
    checking = true;
    try {
      const all = new URLSearchParams(window.location.search).get("all_folders") === "1" ? "&all_folders=1" : "";
      const response = await fetch(`${url("folderState")}?folder=${encodeURIComponent(folder)}${all}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const { state: now } = await response.json();
      if (now !== state && (await refresh())) state = now;
    } catch (error) {
      // Offline or the server restarting: try again at the next tick.
    } finally {
      checking = false;
    }
  }
  function startPoll() {
    if (header && !pollTimer) { pollTimer = setInterval(check, pollEvery); document.body.dataset.poll = "on"; }
  }
  function stopPoll() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    document.body.dataset.poll = "off";
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) check(); });

  // --- The stream. ---
  let lastId = config.last || "";
  let failures = 0;
  let backoff = 30000;
  function connect() {
    const target = new URL(config.url, window.location.href);
    if (lastId) target.searchParams.set("last", lastId);
    const source = new EventSource(target.href, { withCredentials: target.origin !== window.location.origin });
    source.addEventListener("open", () => { failures = 0; backoff = 30000; stopPoll(); document.body.dataset.live = "up"; });
    source.addEventListener("error", () => {
      failures += 1;
      document.body.dataset.live = "down";
      if (source.readyState === EventSource.CLOSED || failures >= 5) {
        // Refused (signed out, the web server instead of the event server) or blocked: poll,
        // and try the stream again later.
        source.close();
        startPoll();
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 600000);
        failures = 0;
      } else if (failures >= 2) startPoll();
    });
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        if (event.lastEventId) lastId = event.lastEventId;
        let data;
        try { data = JSON.parse(event.data); } catch (error) { return; }
        if (kind === "signed_out") source.close();  // the server ended it: no reconnect
        handlers[kind](data);
      });
    }
  }

  updateTitle();
  startPoll();
  if (config.url && window.EventSource) connect();
})();
