// Quick exit: the button, or Esc pressed twice within 1.5 s, hides the page at once, ends the
// session (keepalive POST) and then replaces this page in history with a neutral site.
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.getAttribute("data-exit-url") || "https://www.weather.gov/";
  var postUrl = body.getAttribute("data-exit-post");
  var lastEsc = 0;

  function csrf() {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  var leaving = false;

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) {}
    function go() { window.location.replace(exitUrl); }
    // The page is hidden already; wait (at most 1.5 s) for the server to end the session, so that
    // the back button or a reopened tab cannot find the person still signed in.
    var ended = null;
    try {
      if (postUrl && window.fetch) {
        ended = fetch(postUrl, {
          method: "POST",
          keepalive: true,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "X-Quick-Exit": "1" },
        });
      }
    } catch (e) { ended = null; /* leaving matters more than signing out cleanly */ }
    if (!ended) { go(); return; }
    var timer = setTimeout(go, 1500);
    ended.then(function () { clearTimeout(timer); go(); }, function () { clearTimeout(timer); go(); });
  }

  var button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEsc < 1500) { leave(event); } else { lastEsc = now; }
  });
})();
