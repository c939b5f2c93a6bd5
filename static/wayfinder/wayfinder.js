// Small page behaviours that used to be inline (onclick=, hx-on): the Content-Security-Policy
// allows scripts only from our own files, so they live here and hang off data- attributes.
(function () {
  "use strict";

  // <button type="button" data-print>: print the page (consent, plan, referral packet).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // <section data-focus-after-swap>: after htmx swaps content inside it, move focus to the
  // element marked data-autofocus (the care-team form), for keyboard and screen-reader users.
  document.addEventListener("htmx:afterSettle", function (event) {
    var box = event.target.closest && event.target.closest("[data-focus-after-swap]");
    if (!box) return;
    var target = box.querySelector("[data-autofocus]");
    if (target) target.focus();
  });
})();
