// The guided timer of an exercise. Works offline once the page is loaded: every
// tap is kept on this phone (localStorage) and the whole run is sent again until
// the server has it. The server counts each event once, by its id.
(function () {
  "use strict";
  var box = document.getElementById("timer");
  if (!box) { return; }
  var key = box.dataset.key;
  var minutes = parseInt(box.dataset.minutes, 10) || 5;
  var left = document.getElementById("timer-left");
  var progress = document.getElementById("timer-progress");
  var startButton = document.getElementById("timer-start");
  var stopButton = document.getElementById("timer-stop");
  var balance = document.getElementById("timer-balance");
  var status = document.getElementById("timer-status");
  var done = document.getElementById("timer-done");
  var state = load();
  var sending = false;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(key)) || null; } catch (e) { return null; }
  }
  function save() { window.localStorage.setItem(key, JSON.stringify(state)); }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function add(kind, slot) {
    state.events.push({ id: newId(), kind: kind, at: new Date().toISOString(), slot: slot || "" });
    state.sent = false;
    save();
    render();
    send();
  }
  function started() { return state && state.events.length ? new Date(state.events[0].at) : null; }
  function stopped() { return state && state.events.some(function (e) { return e.kind === "stop"; }); }
  function openBreak(slot) {
    var open = false;
    state.events.forEach(function (e) {
      if (e.slot !== slot) { return; }
      if (e.kind === "break") { open = true; }
      if (e.kind === "back") { open = false; }
    });
    return open;
  }
  function render() {
    var running = state && !stopped();
    startButton.hidden = !!state;
    stopButton.hidden = !running;
    if (balance) { balance.hidden = !running; }
    if (balance && running) {
      balance.querySelectorAll(".balance-row").forEach(function (row) {
        var isOpen = openBreak(row.dataset.slot);
        row.querySelector(".balance-break").hidden = isOpen;
        row.querySelector(".balance-back").hidden = !isOpen;
      });
    }
    done.hidden = !(state && stopped() && state.sent);
    box.classList.toggle("running", !!running);
    tick();
  }
  function tick() {
    var begin = started();
    var total = minutes * 60;
    var elapsed = begin ? Math.max(0, (Date.now() - begin.getTime()) / 1000) : 0;
    if (stopped()) {
      var last = state.events[state.events.length - 1];
      elapsed = (new Date(last.at).getTime() - begin.getTime()) / 1000;
    }
    var remaining = Math.max(0, Math.round(total - elapsed));
    left.textContent = Math.floor(remaining / 60) + ":" + ("0" + (remaining % 60)).slice(-2);
    progress.value = Math.min(minutes, elapsed / 60);
    if (begin && !stopped() && remaining === 0) { add("stop"); }
  }
  function send() {
    if (!state || state.sent || sending) { return; }
    sending = true;
    status.textContent = box.dataset.sending;
    fetch(box.dataset.runsUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ run: state.run, events: state.events })
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (answer) {
      sending = false;
      if (answer.events === state.events.length) { state.sent = true; save(); }
      status.textContent = box.dataset.saved;
      if (answer.ended) { window.localStorage.removeItem(key); }
      render();
    }).catch(function () {
      sending = false;
      status.textContent = box.dataset.waiting;
    });
  }
  startButton.addEventListener("click", function () {
    state = { run: newId(), events: [], sent: false };
    add("start");
  });
  stopButton.addEventListener("click", function () { add("stop"); });
  if (balance) {
    balance.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      add(button.classList.contains("balance-break") ? "break" : "back", button.dataset.slot);
    });
  }
  window.addEventListener("online", send);
  window.setInterval(function () { if (state && !state.sent) { send(); } }, 4000);
  window.setInterval(function () { if (state && !stopped()) { tick(); } }, 1000);
  render();
  send();
})();
