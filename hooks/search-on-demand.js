// The search index is downloaded when the reader goes to the search, not with every page.
// hooks/convdoc_site.py puts this script in every page's <head>, before Material's bundle.
// Material requests search/search_index.json (an XMLHttpRequest) as soon as a page loads;
// its send() waits here until the search field gets the focus (a click or a tap on it or on
// the search button, or Material's keyboard shortcuts, which focus it) or the address asks
// for a search (?q=). The search then says "Initializing search" until the index is in.
(() => {
  "use strict";
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const indexRequests = new WeakSet();
  const waiting = [];
  let wanted = /[?&]q=/.test(location.search);

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(new URL(String(url), location.href).pathname)) indexRequests.add(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (!wanted && indexRequests.has(this)) {
      waiting.push([this, args]);
      return;
    }
    return send.apply(this, args);
  };

  const release = () => {
    if (wanted) return;
    wanted = true;
    for (const [request, args] of waiting.splice(0)) send.apply(request, args);
  };
  const inSearch = (event) =>
    event.target instanceof Element && event.target.closest(".md-search, label[for='__search']");
  document.addEventListener("focusin", (event) => inSearch(event) && release());
  document.addEventListener("pointerdown", (event) => inSearch(event) && release(), true);
  document.addEventListener("change", (event) => event.target.id === "__search" && release());
})();
