// Keeps an open message list current: it asks every few seconds (and when the tab
// comes back) whether the folder changed, e.g. mail read or filed on another device,
// and then swaps in the fresh rows and counts. Progressive enhancement only. Needs
// actions.js (window.Webmail) for the URL map.
"use strict";
(() => {
  const header = document.getElementById("list-header");
  if (!header || !window.Webmail) return;
  const { url } = window.Webmail;
  const folder = header.dataset.folder;
  const every = Math.max(1, Number(header.dataset.pollSeconds || 20)) * 1000;
  let state = header.dataset.state;
  let busy = false;

  // mail.js marks the page quiet while an action or its undo window is in progress.
  const quiet = () => Number(document.body.dataset.quietUntil || 0) > Date.now();
  const userIsWorking = () => document.querySelector("#list-form input[name=uid]:checked, #list-form tr.pending") !== null;

  async function refresh() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return false;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const oldBody = document.querySelector(".message-list tbody");
    const newBody = fresh.querySelector(".message-list tbody");
    if (!oldBody || !newBody) { window.location.reload(); return true; }
    oldBody.replaceWith(document.adoptNode(newBody));
    for (const selector of [".folder-summary", "#folders"]) {
      const now = fresh.querySelector(selector);
      const old = document.querySelector(selector);
      if (now && old) old.replaceWith(document.adoptNode(now));
    }
    document.dispatchEvent(new CustomEvent("webmail:list-refreshed"));
    return true;
  }

  async function check() {
    if (busy || document.hidden || quiet() || userIsWorking()) return;
    busy = true;
    try {
      const all = new URLSearchParams(window.location.search).get("all_folders") === "1" ? "&all_folders=1" : "";
      const response = await fetch(`${url("folderState")}?folder=${encodeURIComponent(folder)}${all}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const { state: now } = await response.json();
      if (now !== state && (await refresh())) state = now;
    } catch (error) {
      // Offline or the server restarting: try again at the next tick.
    } finally {
      busy = false;
    }
  }

  setInterval(check, every);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) check(); });
})();
