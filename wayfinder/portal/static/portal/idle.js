// Portal idle sign-out: the server ends a portal session after WAYFINDER_PORTAL_IDLE_SECONDS
// without a request. A minute before, a notice offers to stay (WCAG 2.2.1: the person can
// extend the time); at the end the page leaves for the sign-in page, so nothing stays on screen.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var signIn = body.getAttribute("data-idle-url");
  var ping = body.getAttribute("data-idle-ping");
  var notice = document.getElementById("idle-notice");
  if (!idle || !signIn || !notice) return;
  var warnTimer, leaveTimer;

  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(leaveTimer);
    notice.hidden = true;
    warnTimer = setTimeout(function () { notice.hidden = false; }, Math.max(idle - 60, 1) * 1000);
    leaveTimer = setTimeout(function () {
      document.documentElement.style.visibility = "hidden";
      window.location.replace(signIn);
    }, idle * 1000);
  }

  var stay = document.getElementById("idle-stay");
  if (stay) {
    stay.addEventListener("click", function () {
      fetch(ping, { credentials: "same-origin" }).then(arm, arm);
    });
  }
  arm();
})();
