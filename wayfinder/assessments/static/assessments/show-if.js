// Show or hide follow-up questions as answers change, without saving. The server decides which
// questions show (the same rules it uses when saving); without JavaScript they appear after saving.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form || !form.dataset.visibleUrl || !window.fetch) return;
  // Tell the server follow-up questions are shown live, so saving need not stop to show them.
  var live = document.createElement("input");
  live.type = "hidden";
  live.name = "live";
  live.value = "1";
  form.appendChild(live);

  function refresh() {
    var data = new FormData(form);
    data.delete("nav");
    data.delete("live");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.dataset.visibleUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        var shown = {};
        body.visible.forEach(function (id) { shown[id] = true; });
        form.querySelectorAll("[data-item]").forEach(function (el) {
          el.hidden = !shown[el.dataset.item];
        });
      })
      .catch(function () { /* the server shows them after saving */ });
  }

  form.addEventListener("change", refresh);
})();
