// Quick exit: the button, or Esc pressed twice within 1.5 s, hides the page at once, ends the
// session (keepalive POST) and replaces this page in history with a neutral site.
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

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    try {
      if (postUrl) {
        fetch(postUrl, {
          method: "POST",
          keepalive: true,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "X-Quick-Exit": "1" },
        });
      }
    } catch (e) { /* leaving matters more than signing out cleanly */ }
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) {}
    window.location.replace(exitUrl);
  }

  var button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEsc < 1500) { leave(event); } else { lastEsc = now; }
  });
})();
