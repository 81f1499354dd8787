// The notice the service worker shows without a connection: open the page again once it is back.
window.addEventListener("online", function () { window.location.reload(); });
