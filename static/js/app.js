// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("folders");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
});

// Snooze times are meant in the browser's time zone: forms carry its offset from UTC.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-tz-offset]").forEach((field) => { field.value = String(new Date().getTimezoneOffset()); });
});
