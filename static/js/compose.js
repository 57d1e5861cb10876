// Writing mail, progressively enhanced: the compose form works without this file
// (plain posts, a status page that refreshes itself). With it: drafts autosave every
// few seconds, files upload in chunks with a progress bar each (picker or drag and
// drop), recipient fields complete addresses, the From choice swaps the signature,
// optional formatting, Ctrl+Enter sends, and the send status shows without a reload.
"use strict";

(() => {
  const JSON_HEADERS = { Accept: "application/json" };

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]") || document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function timeNow() {
    const d = new Date();
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function humanSize(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  // -- the status page: poll until done, then show the final page -------------------------
  function setupStatusPage(page) {
    const url = page.dataset.statusUrl;
    const initial = page.dataset.state;
    if (!url || page.classList.contains("is-sent") || page.classList.contains("is-failed")) return;
    const poll = () => {
      fetch(url, { headers: JSON_HEADERS, credentials: "same-origin" })
        .then((r) => r.json())
        .then((data) => {
          if (data.state !== initial || data.done) {
            window.location.reload();
          } else {
            // The countdown of an undo delay ("Sending in 7 seconds."), worded by the server.
            const line = page.querySelector(".status-message");
            if (line && data.message && !data.scheduled && line.textContent !== data.message) line.textContent = data.message;
            window.setTimeout(poll, data.scheduled ? 30000 : 1000); // a scheduled one may wait for days
          }
        })
        .catch(() => window.setTimeout(poll, 3000));
    };
    window.setTimeout(poll, 700);
  }

  // -- the compose form -------------------------------------------------------------------
  function setupCompose(form) {
    const token = csrfToken(form);
    const autosaveSeconds = Math.max(1, parseInt(form.dataset.autosave || "5", 10));
    const statusLine = form.querySelector("[data-autosave-status]");
    const sendStatus = form.querySelector("[data-send-status]");
    const sendButton = form.querySelector("[data-send-button]");
    const body = form.querySelector("[data-body]");
    const bodyHtml = form.querySelector("[data-body-html]");
    const editor = form.querySelector("[data-rich-editor]");
    const editorBar = form.querySelector("[data-editor-bar]");
    const richToggle = form.querySelector("[data-rich-toggle]");
    const editorButtons = form.querySelector("[data-editor-buttons]");
    const identitySelect = form.querySelector("[data-identity-select]");
    const fileInput = form.querySelector("[data-file-input]");
    const attachButton = form.querySelector("[data-attach-button]");
    const dropHint = form.querySelector("[data-drop-hint]");
    const dropzone = form.querySelector("[data-dropzone]");
    const list = form.querySelector("[data-attachment-list]");
    const uploadError = form.querySelector("[data-upload-error]");
    let dirty = false;
    let saving = null;
    let uploadsRunning = 0;
    let sending = false;

    // Uploads go through the chunk endpoint: the plain file field and its button are for no-JS only.
    if (attachButton) attachButton.hidden = true;
    if (dropHint) dropHint.hidden = false;

    const markDirty = () => { dirty = true; };
    form.addEventListener("input", markDirty);
    form.addEventListener("change", (event) => { if (event.target !== fileInput) markDirty(); });

    // -- formatting (rich text) ---------------------------------------------------------
    const richOn = () => richToggle && richToggle.checked;
    function escapeHtml(text) {
      const div = document.createElement("div");
      div.textContent = text;
      return div.innerHTML.replace(/\n/g, "<br>");
    }
    function showEditor(on) {
      if (!editor) return;
      editor.hidden = !on;
      body.hidden = on;
      if (editorButtons) editorButtons.hidden = !on;
    }
    function syncBody() {
      if (richOn()) {
        bodyHtml.value = editor.innerHTML;
        body.value = editor.innerText;
      } else {
        bodyHtml.value = "";
      }
    }
    if (editorBar && editor && richToggle) {
      editorBar.hidden = false;
      if (richToggle.checked && bodyHtml.value) {
        editor.innerHTML = bodyHtml.value; // the server's sanitizer already cleaned it
        showEditor(true);
      }
      richToggle.addEventListener("change", () => {
        if (richToggle.checked) {
          editor.innerHTML = escapeHtml(body.value);
          showEditor(true);
          editor.focus();
        } else {
          body.value = editor.innerText;
          bodyHtml.value = "";
          showEditor(false);
          body.focus();
        }
        markDirty();
      });
      editor.addEventListener("input", markDirty);
      editorButtons.querySelectorAll("button[data-command]").forEach((button) => {
        button.addEventListener("click", () => {
          const command = button.dataset.command;
          let value = null;
          if (command === "createLink") {
            value = window.prompt(button.dataset.prompt || "URL", "https://");
            if (!value || !/^(https?:|mailto:)/i.test(value)) return;
          }
          editor.focus();
          document.execCommand(command, false, value);
          markDirty();
        });
      });
    }

    // -- the From address brings its signature ---------------------------------------------
    if (identitySelect) {
      let previous = identitySelect.selectedOptions[0];
      identitySelect.addEventListener("change", () => {
        const next = identitySelect.selectedOptions[0];
        const oldSig = previous && previous.dataset.signature ? "-- \n" + previous.dataset.signature.trim() + "\n" : "";
        const newSig = next && next.dataset.signature ? "-- \n" + next.dataset.signature.trim() + "\n" : "";
        if (!richOn()) {
          if (oldSig && body.value.includes(oldSig)) {
            body.value = body.value.replace(oldSig, newSig);
          } else if (!oldSig && newSig && !body.value.includes(newSig)) {
            const quoteStart = body.value.search(/\n(On .*wrote:|-{5,} )/);
            body.value = quoteStart >= 0
              ? body.value.slice(0, quoteStart) + "\n" + newSig + body.value.slice(quoteStart)
              : body.value.replace(/\s*$/, "") + "\n\n" + newSig;
          }
        }
        previous = next;
        markDirty();
      });
    }

    // -- autosave ----------------------------------------------------------------------------
    function formData(action) {
      syncBody();
      const data = new FormData(form);
      data.delete("attachment");
      data.delete("action");
      data.set("action", action);
      return data;
    }
    function showErrors(errors) {
      form.querySelectorAll("[aria-invalid=true]").forEach((el) => el.removeAttribute("aria-invalid"));
      const messages = Object.entries(errors || {});
      sendStatus.hidden = messages.length === 0;
      sendStatus.classList.toggle("error", messages.length > 0);
      sendStatus.textContent = "";
      const ul = document.createElement("ul");
      for (const [field, message] of messages) {
        const li = document.createElement("li");
        li.textContent = message;
        ul.appendChild(li);
        const input = form.querySelector(`[name="${field}"]`);
        if (input) input.setAttribute("aria-invalid", "true");
      }
      sendStatus.appendChild(ul);
      if (messages.length) sendStatus.focus && sendStatus.scrollIntoView({ block: "nearest" });
    }
    function save(force) {
      if (sending || (!dirty && !force)) return Promise.resolve(null);
      if (saving) return saving;
      dirty = false;
      if (statusLine) statusLine.textContent = form.dataset.savingText || "…";
      saving = fetch(form.dataset.editUrl, { method: "POST", body: formData("save"), headers: JSON_HEADERS, credentials: "same-origin" })
        .then((response) => response.json().catch(() => ({})).then((data) => ({ response, data })))
        .then(({ response, data }) => {
          if (response.ok) {
            if (statusLine) statusLine.textContent = (form.dataset.savedText || "Draft saved at") + " " + timeNow();
            if (data.edit_url && window.location.pathname !== data.edit_url) window.history.replaceState(null, "", data.edit_url);
            if (!sendStatus.classList.contains("error")) sendStatus.hidden = true;
          } else {
            dirty = true;
            if (data.errors) showErrors(data.errors);
            if (statusLine) statusLine.textContent = (data.errors ? form.dataset.invalidText : form.dataset.notSavedText) || "Draft not saved";
          }
          return data;
        })
        .catch(() => {
          dirty = true;
          if (statusLine) statusLine.textContent = form.dataset.notSavedText || "Draft not saved";
        })
        .finally(() => { saving = null; });
      return saving;
    }
    window.setInterval(() => { if (uploadsRunning === 0) save(false); }, autosaveSeconds * 1000);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") save(false); });
    window.addEventListener("beforeunload", (event) => {
      if (uploadsRunning > 0) { event.preventDefault(); event.returnValue = ""; }
    });

    // -- chunked uploads with progress -------------------------------------------------------
    function attachmentItem(name, size) {
      const li = document.createElement("li");
      li.className = "attachment-item uploading";
      const label = document.createElement("span");
      label.className = "filename";
      label.textContent = name;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = humanSize(size);
      const bar = document.createElement("progress");
      bar.max = Math.max(size, 1);
      bar.value = 0;
      bar.dataset.updates = "0";
      bar.setAttribute("aria-label", name);
      const percent = document.createElement("span");
      percent.className = "meta upload-percent";
      percent.textContent = "0%";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button-link remove-attachment";
      remove.textContent = "✕";
      remove.setAttribute("aria-label", (form.dataset.removeText || "Remove") + " " + name);
      li.append(label, meta, bar, percent, remove);
      list.appendChild(li);
      return { li, bar, percent, remove };
    }
    function setProgress(item, done, total) {
      item.bar.value = Math.min(done, item.bar.max);
      item.bar.dataset.updates = String(parseInt(item.bar.dataset.updates, 10) + 1);
      item.percent.textContent = (total ? Math.floor((done / total) * 100) : 100) + "%";
    }
    function showUploadError(message) {
      uploadError.textContent = message;
      uploadError.hidden = !message;
    }
    function sendChunk(url, offset, blob, item, base) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", url + "?offset=" + offset);
        xhr.setRequestHeader("X-CSRFToken", token);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        xhr.upload.addEventListener("progress", (event) => { if (event.lengthComputable) setProgress(item, base + event.loaded, item.total); });
        xhr.addEventListener("load", () => {
          let data = {};
          try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
          if (xhr.status === 200) resolve(data.received);
          else if (xhr.status === 409 && typeof data.received === "number") resolve(data.received); // resume where the server is
          else reject(Object.assign(new Error(data.error || "upload failed"), { fatal: xhr.status >= 400 && xhr.status < 500 }));
        });
        xhr.addEventListener("error", () => reject(new Error("network")));
        xhr.send(blob);
      });
    }
    async function uploadFile(file) {
      uploadsRunning += 1;
      updateSendButton();
      const item = attachmentItem(file.name, file.size);
      item.total = file.size;
      try {
        const start = new FormData();
        start.set("filename", file.name);
        start.set("size", String(file.size));
        start.set("type", file.type || "application/octet-stream");
        const seed = form.querySelector("input[name=seed]");
        if (seed) start.set("seed", seed.value); // stores the compose if nothing has yet
        const response = await fetch(form.dataset.uploadUrl, { method: "POST", body: start, headers: { ...JSON_HEADERS, "X-CSRFToken": token }, credentials: "same-origin" });
        const info = await response.json().catch(() => ({}));
        if (!response.ok) throw Object.assign(new Error(info.error || "upload refused"), { fatal: true });
        item.li.dataset.attachmentId = info.id;
        item.li.dataset.deleteUrl = info.delete_url;
        const chunk = info.chunk_size || parseInt(form.dataset.chunkSize, 10) || 1048576;
        let offset = info.received || 0;
        let failures = 0;
        while (offset < file.size) {
          try {
            offset = await sendChunk(info.chunk_url, offset, file.slice(offset, Math.min(offset + chunk, file.size)), item, offset);
            failures = 0;
            setProgress(item, offset, file.size);
          } catch (error) {
            failures += 1;
            if (error.fatal || failures > 4) throw error;
            await new Promise((r) => window.setTimeout(r, 500 * failures));
          }
        }
        if (file.size === 0) setProgress(item, 0, 0);
        item.li.classList.remove("uploading");
        item.li.classList.add("uploaded");
        item.percent.textContent = "100%";
        markDirty();
      } catch (error) {
        item.li.classList.remove("uploading");
        item.li.classList.add("failed");
        item.percent.textContent = "";
        showUploadError(error.message);
      } finally {
        uploadsRunning -= 1;
        updateSendButton();
      }
      item.remove.addEventListener("click", () => removeAttachment(item.li));
    }
    function removeAttachment(li) {
      const url = li.dataset.deleteUrl;
      if (!url) { li.remove(); return; }
      fetch(url, { method: "POST", headers: { ...JSON_HEADERS, "X-CSRFToken": token }, credentials: "same-origin" })
        .then((r) => { if (r.ok) { li.remove(); markDirty(); } });
    }
    list.querySelectorAll(".attachment-item").forEach((li) => {
      const button = li.querySelector(".remove-attachment");
      if (button) button.addEventListener("click", (event) => { event.preventDefault(); removeAttachment(li); });
    });
    function uploadFiles(files) {
      showUploadError("");
      Array.from(files).forEach((file) => uploadFile(file));
    }
    if (fileInput) {
      fileInput.addEventListener("change", () => {
        const files = Array.from(fileInput.files || []);
        fileInput.value = "";
        uploadFiles(files);
      });
    }
    if (dropzone) {
      const target = form;
      target.addEventListener("dragover", (event) => {
        if (event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files")) {
          event.preventDefault();
          dropzone.classList.add("drag-over");
        }
      });
      target.addEventListener("dragleave", (event) => { if (event.target === dropzone || !form.contains(event.relatedTarget)) dropzone.classList.remove("drag-over"); });
      target.addEventListener("drop", (event) => {
        if (!event.dataTransfer || !event.dataTransfer.files.length) return;
        event.preventDefault();
        dropzone.classList.remove("drag-over");
        uploadFiles(event.dataTransfer.files);
      });
    }

    // -- sending ---------------------------------------------------------------------------
    function updateSendButton() {
      if (!sendButton) return;
      sendButton.disabled = sending;
      sendButton.setAttribute("aria-busy", String(uploadsRunning > 0 || sending));
    }
    async function send() {
      if (sending) return;
      sending = true;
      updateSendButton();
      sendStatus.hidden = false;
      sendStatus.classList.remove("error");
      sendStatus.textContent = form.dataset.sendingText || "Sending…";
      while (uploadsRunning > 0) await new Promise((r) => window.setTimeout(r, 200));
      if (saving) await saving;
      try {
        const response = await fetch(form.dataset.editUrl, { method: "POST", body: formData("send"), headers: JSON_HEADERS, credentials: "same-origin" });
        const data = await response.json().catch(() => ({}));
        if (response.status === 202 || response.status === 409) {
          window.location.assign(data.status_url || form.dataset.statusUrl);
          return;
        }
        sending = false;
        showErrors(data.errors || { send: data.error || (form.dataset.failedText || "Not sent.") });
      } catch (error) {
        sending = false;
        showErrors({ send: form.dataset.offlineText || "The server cannot be reached. Your draft is kept; try again." });
      }
      updateSendButton();
    }
    form.addEventListener("submit", (event) => {
      const action = event.submitter ? event.submitter.value : "save";
      if (action === "send") {
        event.preventDefault();
        send();
      } else if (action === "save") {
        event.preventDefault();
        save(true);
      } else if (action === "schedule") {
        fillTimeZone();
        syncBody();
      } else if (action === "discard") {
        if (!window.confirm(event.submitter.dataset.confirm || "Discard?")) event.preventDefault();
        else syncBody();
      } else {
        syncBody();
      }
    });
    // "Send later": the server reads times in the browser's zone (its offset from UTC).
    const sendAtInput = form.querySelector("[data-send-at-input]");
    function fillTimeZone() {
      const field = form.querySelector("[data-tz-offset]");
      if (!field) return;
      const chosen = sendAtInput && sendAtInput.value ? new Date(sendAtInput.value) : new Date();
      field.value = String(isNaN(chosen.getTime()) ? new Date().getTimezoneOffset() : chosen.getTimezoneOffset());
    }
    if (sendAtInput) {
      sendAtInput.addEventListener("input", () => {
        const custom = form.querySelector("[data-send-later-custom]");
        if (custom) custom.checked = true;
      });
    }
    form.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        send();
      } else if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.type !== "checkbox" && !event.defaultPrevented) {
        event.preventDefault(); // no implicit submit from one-line fields
      }
    });

    setupAutocomplete(form);

    // Where to start typing: the first empty recipient field, else the text (above any quote).
    const to = form.querySelector("#compose-to");
    if (to && !to.value.trim()) {
      to.focus();
    } else if (!richOn() && body) {
      body.focus();
      body.setSelectionRange(0, 0);
      body.scrollTop = 0;
    }
  }

  // -- address completion (an ARIA combobox over each recipient field) ------------------------
  function setupAutocomplete(form) {
    const listbox = document.querySelector("[data-autocomplete-list]");
    const url = form.dataset.addressesUrl;
    if (!listbox || !url) return;
    let active = null;
    let items = [];
    let index = -1;
    let timer = null;

    function tokenBounds(input) {
      const caret = input.selectionStart ?? input.value.length;
      const before = input.value.slice(0, caret);
      const start = Math.max(before.lastIndexOf(","), before.lastIndexOf(";")) + 1;
      let end = input.value.slice(caret).search(/[,;]/);
      end = end < 0 ? input.value.length : caret + end;
      return { start, end, text: input.value.slice(start, end).trim() };
    }
    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      items = [];
      index = -1;
      if (active) {
        active.setAttribute("aria-expanded", "false");
        active.removeAttribute("aria-activedescendant");
      }
    }
    function highlight(next) {
      index = next;
      listbox.querySelectorAll("li").forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      if (active && index >= 0) active.setAttribute("aria-activedescendant", "suggestion-" + index);
    }
    function choose(i) {
      if (!active || i < 0 || i >= items.length) return;
      const { start, end } = tokenBounds(active);
      const before = active.value.slice(0, start).replace(/\s*$/, "");
      const after = active.value.slice(end).replace(/^[,;]?\s*/, "");
      const chosen = items[i].label;
      active.value = (before ? before + " " : "") + chosen + ", " + after;
      const caret = (before ? before.length + 1 : 0) + chosen.length + 2;
      active.setSelectionRange(caret, caret);
      active.dispatchEvent(new Event("input", { bubbles: true }));
      close();
    }
    function position(input) {
      // CSSOM writes are allowed under the CSP (only style attributes in markup are not).
      const rect = input.getBoundingClientRect();
      listbox.style.left = window.scrollX + rect.left + "px";
      listbox.style.top = window.scrollY + rect.bottom + 2 + "px";
      listbox.style.minWidth = Math.min(rect.width, window.innerWidth - 16) + "px";
    }
    function render(results) {
      listbox.textContent = "";
      items = results;
      if (!results.length) { close(); return; }
      results.forEach((result, i) => {
        const li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        if (result.kind === "group") {
          // A group: choosing it fills in every member (its label holds them all).
          li.className = "suggestion-group";
          li.append(document.createTextNode(result.name + " "));
          const count = document.createElement("span");
          count.className = "email";
          count.textContent = "(" + result.members + ")";
          li.appendChild(count);
        } else if (result.name) {
          li.append(document.createTextNode(result.name + " "));
          const mail = document.createElement("span");
          mail.className = "email";
          mail.textContent = "<" + result.email + ">";
          li.appendChild(mail);
        } else {
          li.textContent = result.email;
        }
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(i); });
        listbox.appendChild(li);
      });
      position(active);
      listbox.hidden = false;
      active.setAttribute("aria-expanded", "true");
      highlight(0);
    }
    function lookup(input) {
      const { text } = tokenBounds(input);
      if (text.length < 1 || text.includes("<")) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(text), { headers: JSON_HEADERS, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { results: [] }))
        .then((data) => { if (active === input) render(data.results || []); })
        .catch(close);
    }
    form.querySelectorAll("[data-autocomplete]").forEach((input) => {
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-controls", listbox.id);
      input.setAttribute("aria-expanded", "false");
      input.addEventListener("input", (event) => {
        if (event.isTrusted === false && !event.inputType) return;
        active = input;
        window.clearTimeout(timer);
        timer = window.setTimeout(() => lookup(input), 120);
      });
      input.addEventListener("keydown", (event) => {
        if (listbox.hidden || active !== input) return;
        if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(items.length - 1, index + 1)); }
        else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(0, index - 1)); }
        else if (event.key === "Enter" || event.key === "Tab") { if (index >= 0) { event.preventDefault(); choose(index); } }
        else if (event.key === "Escape") { event.preventDefault(); close(); }
      });
      input.addEventListener("blur", () => window.setTimeout(() => { if (active === input) close(); }, 150));
    });
  }

  // Send times (scheduled messages) in the browser's time zone and language.
  function localizeTimes() {
    const lang = document.documentElement.lang || undefined;
    document.querySelectorAll("time[data-local-time]").forEach((el) => {
      const when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      try {
        el.textContent = when.toLocaleString(lang, { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
      } catch (error) { /* keep the server's wording */ }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    localizeTimes();
    const page = document.querySelector("[data-status-page]");
    if (page) setupStatusPage(page);
    const form = document.getElementById("compose-form");
    if (form) setupCompose(form);
  });
})();
