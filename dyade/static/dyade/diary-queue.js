// The diary without a connection. When Save is pressed while the phone is
// offline, the answers are kept on this phone (localStorage, for this account
// only) and sent as soon as any Dyade page is open with a connection. The server
// keeps one entry per partner per day, so a second send of the same answers
// changes nothing; a kept entry is removed once the server says it is saved.
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
    items.push({ account: account, url: form.action, day: form.dataset.day, fields: fields, refused: false });
    store(items);
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
    var item = load().filter(function (i) { return mine(i) && !i.refused; })[0];
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
        // Kept, not sent again: the day's page shows the answers to check.
        store(load().map(function (i) { if (mine(i) && i.url === item.url) { i.refused = true; } return i; }));
        if (here) { say(form, form.dataset.refused); }
      }
    }).catch(function () { sending = false; });
  }

  function start() {
    var form = document.getElementById("diary-form");
    if (!form) { return; }
    var kept = load().filter(function (i) { return mine(i) && i.url === form.action; })[0];
    if (kept) {
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
