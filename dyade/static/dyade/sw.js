// Dyade's service worker (served at /sw.js so that its scope is the whole site).
// It makes Dyade installable and lets the diary page open its scripts offline.
// It never keeps a page or any answer of a client: only files under /static/
// whose type is not HTML or JSON are cached, and pages always come from the
// server (when there is no connection, a partner page gets a short notice made here).
"use strict";

var CACHE = "dyade-static-v1";

function mayCache(request, response) {
  if (request.method !== "GET" || !response || response.status !== 200 || response.type !== "basic") {
    return false;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/static/") !== 0) { return false; }
  var type = (response.headers.get("Content-Type") || "").toLowerCase();
  return type !== "" && type.indexOf("html") === -1 && type.indexOf("json") === -1;
}

var OFFLINE_PAGE = "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
  "<title>Dyade</title><link rel=\"stylesheet\" href=\"/static/dyade/dyade.css\"></head>" +
  "<body><main><h1>Geen verbinding</h1><p>Dyade opent weer zodra er verbinding is. " +
  "Een dagboek dat je zonder verbinding bewaarde, staat nog op deze telefoon en wordt dan verstuurd.</p>" +
  "<h1 lang=\"en\">No connection</h1><p lang=\"en\">Dyade opens again as soon as there is a connection. " +
  "A diary you saved without a connection is still on this phone and will be sent then.</p>" +
  "<p><a class=\"button primary\" href=\"/me/\">Opnieuw / Try again</a></p></main>" +
  "<script src=\"/static/dyade/offline.js\"></script></body></html>";

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }
  });
}

// What the notice without a connection needs, kept from the start.
var PRECACHE = ["/static/dyade/dyade.css", "/static/dyade/dyade.js", "/static/dyade/offline.js"];

// The network's answer, kept in the cache when it may be. A cache that cannot take it
// (storage full, a write that fails) never costs the page the file: the answer is
// returned at once and the copy is written beside it (``wait`` keeps the worker alive
// until it is written).
function keep(request, wait) {
  return fetch(request).then(function (response) {
    if (mayCache(request, response)) {
      var copy = response.clone();
      wait(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); })
        .catch(function () {}));
    }
    return response;
  });
}

self.addEventListener("install", function (event) {
  var writes = [];
  function wait(promise) { writes.push(promise); }
  event.waitUntil(Promise.all(PRECACHE.map(function (path) {
    return keep(new Request(path), wait).catch(function () {});
  })).then(function () { return Promise.all(writes); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (request.mode === "navigate") {
    // Only the partner's own pages get the notice; every other navigation (the quick
    // exit above all) is left to the browser as if there were no worker.
    if (url.origin === self.location.origin && url.pathname.indexOf("/me/") === 0) {
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return;
  }
  if (url.origin !== self.location.origin || url.pathname.indexOf("/static/") !== 0) { return; }
  // Static files: the network first (so a new version is used at once), the cache without it.
  event.respondWith(keep(request, function (p) {
    try { event.waitUntil(p); } catch (e) { /* the answer is already given */ }
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  }));
});
