// The diary without a connection. When Save is pressed while the phone is
// offline, the answers are kept on this phone (localStorage, for this account
// only) and sent as soon as any Dyade page is open with a connection. Each kept
// diary carries its form's request id and the version of the day it was filled
// in on, so the server counts a second send of it once; a kept entry is removed
// once the server says it is saved. If the day was changed on another device in
// the meantime, the server keeps that newer change (answer 409, "newer"): the
// kept answers stay on this phone, are not sent again, and are shown to the
// partner to copy from until they remove them.
(function () {
  "use strict";
  var KEY = "dyade-diary-queue";
  var marker = document.getElementById("dyade-account");
  var account = marker ? marker.dataset.account : "";
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function store(items) {
    if (items.length) { window.localStorage.setItem(KEY, JSON.stringify(items)); }
    else { window.localStorage.removeItem(KEY); }
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function mine(item) { return account && item.account === account; }
  function say(form, words) {
    var status = document.getElementById("diary-status");
    if (!status || !words) { return; }
    status.textContent = words;
    status.hidden = false;
  }

  function keep(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { fields.push([name, String(value)]); }
    });
    var items = load().filter(function (item) { return !(mine(item) && item.url === form.action); });
    var title = document.querySelector("main h1");
    items.push({
      account: account, url: form.action, day: form.dataset.day, fields: fields, refused: false,
      title: title ? title.textContent.replace(/\s+/g, " ").trim() : form.dataset.day
    });
    store(items);
  }

  // --- a kept diary that a newer change on another device replaced ----------------------
  function drop(item) {
    store(load().filter(function (i) { return !(mine(i) && i.url === item.url); }));
  }
  function text(tag, words) {
    var node = document.createElement(tag);
    node.textContent = words;
    return node;
  }
  function question(form, name) {
    var input = form.querySelector("[name='" + name + "']");
    if (!input) { return name; }
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    var label = input.id && input.type !== "radio" ? form.querySelector("label[for='" + input.id + "']") : null;
    var source = label || legend;
    return source && source.firstChild ? source.firstChild.textContent.trim() : name;
  }
  function answer(form, name, value) {
    var chosen = form.querySelector("input[name='" + name + "'][value='" + value + "']");
    var label = chosen && chosen.closest("label");
    return label ? label.textContent.trim() : value;
  }
  function showNewer(item, form) {
    var marker = document.getElementById("dyade-account");
    var old = document.getElementById("diary-newer");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.id = "diary-newer";
    box.className = "notice not-applied";
    box.setAttribute("role", "alert");
    if (!form) {
      // Another page: say so, and lead to the day, where the answers are shown.
      box.appendChild(text("p", marker.dataset.newerElsewhere || ""));
      var link = text("a", item.title || item.day);
      link.href = item.url;
      box.appendChild(link);
    } else {
      box.appendChild(text("p", form.dataset.newer));
      item.fields.forEach(function (pair) {
        if (!pair[1] || ["request_id", "based_on", "csrfmiddlewaretoken"].indexOf(pair[0]) !== -1) { return; }
        var row = document.createElement("p");
        row.className = "sent-answer";
        row.appendChild(text("span", question(form, pair[0])));
        row.appendChild(document.createElement("br"));
        var input = form.querySelector("[name='" + pair[0] + "']");
        if (input && input.tagName === "TEXTAREA") {
          var copy = text("textarea", pair[1]);
          copy.readOnly = true;
          copy.rows = 4;
          copy.setAttribute("aria-label", question(form, pair[0]));
          row.appendChild(copy);
        } else {
          row.appendChild(text("strong", answer(form, pair[0], pair[1])));
        }
        box.appendChild(row);
      });
      var remove = text("button", form.dataset.newerRemove);
      remove.type = "button";
      remove.className = "secondary";
      remove.addEventListener("click", function () { drop(item); box.remove(); });
      box.appendChild(remove);
    }
    var main = document.querySelector("main");
    var place = form || (main && main.firstElementChild);
    if (place) { place.parentNode.insertBefore(box, place); } else if (main) { main.appendChild(box); }
  }
  function showForm(form) {
    // Back to the answers the server sent with the page (the newer ones).
    form.reset();
    form.dispatchEvent(new Event("change"));
    var note = form.querySelector("textarea");
    if (note) { note.dispatchEvent(new Event("input")); }
    var status = document.getElementById("diary-status");
    if (status) { status.hidden = true; }
  }

  function fill(form, item) {
    item.fields.forEach(function (pair) {
      var inputs = form.querySelectorAll("[name='" + pair[0] + "']");
      inputs.forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") { input.checked = input.value === pair[1]; }
        else { input.value = pair[1]; }
      });
    });
    form.dispatchEvent(new Event("change"));
    var note = form.querySelector("textarea");
    if (note) { note.dispatchEvent(new Event("input")); }
  }

  function send() {
    if (sending || !account || navigator.onLine === false) { return; }
    var item = load().filter(function (i) { return mine(i) && !i.refused && !i.newer; })[0];
    if (!item) { return; }
    sending = true;
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrfmiddlewaretoken", csrf());
    fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Dyade-Queued": "1", "X-CSRFToken": csrf() },
      body: body
    }).then(function (response) {
      sending = false;
      var form = document.getElementById("diary-form");
      var here = form && form.action === item.url;
      if (response.ok) {
        store(load().filter(function (i) { return !(mine(i) && i.url === item.url); }));
        if (here) { say(form, form.dataset.sent); }
        send();
      } else if (response.status === 400 || response.status === 409) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          var newer = answer && answer.reason === "newer";
          // Kept, not sent again: the day's page shows the answers (to check, or to copy from).
          store(load().map(function (i) {
            if (mine(i) && i.url === item.url) { if (newer) { i.newer = true; } else { i.refused = true; } }
            return i;
          }));
          if (newer) {
            if (here) { showForm(form); }
            showNewer(item, here ? form : null);
          } else if (here) { say(form, form.dataset.refused); }
          send();
        });
      }
    }).catch(function () { sending = false; });
  }

  function start() {
    var form = document.getElementById("diary-form");
    if (!form) {
      var newer = load().filter(function (i) { return mine(i) && i.newer; })[0];
      if (newer) { showNewer(newer, null); }
      return;
    }
    var kept = load().filter(function (i) { return mine(i) && i.url === form.action; })[0];
    if (kept && kept.newer) {
      showNewer(kept, form);
    } else if (kept) {
      fill(form, kept);
      say(form, kept.refused ? form.dataset.refused : form.dataset.queued);
      // Answers still waiting to be sent are safe on this phone: no warning on
      // leaving. Refused answers are only in this form until Save is pressed.
      if (!kept.refused) { form.dispatchEvent(new Event("dyade:kept")); }
    }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) {
        // Sent now by the browser: a kept copy of this day is no longer needed.
        store(load().filter(function (i) { return !(mine(i) && i.url === form.action); }));
        return;
      }
      event.preventDefault();
      keep(form);
      form.dispatchEvent(new Event("dyade:kept"));
      say(form, form.dataset.queued);
      document.getElementById("diary-status").scrollIntoView({ block: "center" });
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      }, 10);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { start(); send(); });
  window.addEventListener("online", send);
  window.setInterval(send, 5000);
})();
