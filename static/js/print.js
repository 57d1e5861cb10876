// The print view: quoted text unfolded for paper; the print dialog only when asked (?print=1).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const button = document.querySelector("[data-print]");
  if (button) { button.hidden = false; button.addEventListener("click", () => window.print()); }
  if (document.body.dataset.autoPrint === "1") window.print();
});
