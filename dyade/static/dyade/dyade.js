// Dyade's only script: the quick exit, copying an invitation link, printing a page.
(function () {
  "use strict";
  function leave(exitLink) {
    // replace() keeps this page out of the browser history; the server ends the session.
    window.location.replace(exitLink.getAttribute("href"));
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
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  });
})();
