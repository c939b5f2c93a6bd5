// The survey's skip rule: a question with data-show-if-item shows only when that item's answer
// is data-show-if-value (the parenting questions: only for someone who cares for a child).
// Without JavaScript every question shows, and the server ignores the hidden ones' answers.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-show-if-item]").forEach(function (q) {
      var name = q.getAttribute("data-show-if-item");
      var want = q.getAttribute("data-show-if-value");
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      q.hidden = !(checked && checked.value === want);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.feedback-survey").forEach(function (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
