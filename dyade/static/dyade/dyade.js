// Dyade's main script: the quick exit, copying an invitation link, printing a
// page; on partner pages also follow-up questions, the note counter, a warning
// before leaving unsaved text, and the service worker that makes Dyade
// installable. Every page works without it.
(function () {
  "use strict";
  var leaving = false;
  function leave(exitLink) {
    leaving = true;
    // replace() keeps this page out of the browser history; the server ends the session.
    window.location.replace(exitLink.getAttribute("href"));
  }
  // The home's thanks for a diary send is named in its address (?saved=...): it is
  // taken out of the address bar, so that a reload or a bookmark does not thank again.
  if (/[?&]saved=/.test(window.location.search) && window.history.replaceState) {
    var params = new URLSearchParams(window.location.search);
    params.delete("saved");
    var rest = params.toString();
    window.history.replaceState(
      null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash
    );
  }
  document.addEventListener("DOMContentLoaded", function () {
    var exitLink = document.getElementById("quick-exit");
    if (exitLink) {
      exitLink.addEventListener("click", function (event) {
        event.preventDefault();
        document.body.style.visibility = "hidden";
        leave(exitLink);
      });
      var lastEscape = 0;
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") { return; }
        var now = Date.now();
        if (now - lastEscape < 800) { document.body.style.visibility = "hidden"; leave(exitLink); }
        lastEscape = now;
      });
    }
    document.querySelectorAll("button.copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = button.parentElement.querySelector(button.dataset.copyFrom);
        if (!input) { return; }
        input.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
      });
    });
    document.querySelectorAll("button.print-page").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("form").forEach(function (form) {
      // One click sends a form once; the server also ignores a repeated send.
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
    if (document.body.classList.contains("partner")) {
      followUps();
      counters();
      guardUnsaved();
      installable();
    }
  });

  // A question that applies only after another answer (data-show-if="name=value")
  // is hidden until that answer is given. Without this script it stays visible,
  // saying when it applies, and the server ignores answers that do not apply.
  function followUps() {
    document.querySelectorAll("[data-show-if]").forEach(function (box) {
      var parts = box.dataset.showIf.split("=");
      var form = box.closest("form");
      if (!form) { return; }
      function update() {
        var chosen = form.querySelector("input[name='" + parts[0] + "']:checked");
        box.hidden = !(chosen && chosen.value === parts[1]);
      }
      form.addEventListener("change", update);
      update();
    });
  }

  // A text with a limit shows how much room is left, and says so when it is over.
  function counters() {
    document.querySelectorAll("textarea[data-limit]").forEach(function (area) {
      var limit = parseInt(area.dataset.limit, 10);
      var counter = document.getElementById(area.dataset.counter || "");
      if (!counter || !limit) { return; }
      function update() {
        var left = limit - area.value.length;
        var words = left >= 0 ? counter.dataset.left : counter.dataset.over;
        counter.textContent = words.replace("{n}", String(Math.abs(left)));
        counter.classList.toggle("error", left < 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  // Warn before leaving a page where something was typed or chosen and not sent.
  function guardUnsaved() {
    var dirty = false;
    document.querySelectorAll("form[method=post]:not(.inline)").forEach(function (form) {
      if (!form.querySelector("textarea, input[type=text], input[type=radio], input[type=checkbox], input[type=number], select")) { return; }
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("change", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      form.addEventListener("dyade:kept", function () { dirty = false; });
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty || leaving) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // The service worker lives at the site root; it caches static files only.
  function installable() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
})();
