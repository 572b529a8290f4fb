// Live status without a build step: poll a JSON or HTML fragment, and drag-and-drop upload.
(function () {
  "use strict";
  function pollStatus(el) {
    var url = el.getAttribute("data-status");
    function tick() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var text = el.querySelector("[data-state-text]");
          if (s.state === "done") { window.location.reload(); return; }
          if (text) {
            text.textContent = s.state === "queued"
              ? "Na fila, posição " + s.position + " · Queued, position " + s.position
              : "Corrigindo… · Grading…";
          }
          setTimeout(tick, 700);
        })
        .catch(function () { setTimeout(tick, 2000); });
    }
    setTimeout(tick, 500);
  }
  function pollTable(el) {
    var url = el.getAttribute("data-table");
    function tick() {
      fetch(url, {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) { el.innerHTML = html; setTimeout(tick, 2000); })
        .catch(function () { setTimeout(tick, 4000); });
    }
    setTimeout(tick, 2000);
  }
  function dropzone(zone) {
    var form = zone.closest("form");
    var input = form.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (n) {
      zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (n) {
      zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        form.requestSubmit();
      }
    });
  }
  document.querySelectorAll("[data-status]").forEach(pollStatus);
  document.querySelectorAll("[data-table]").forEach(pollTable);
  document.querySelectorAll(".drop").forEach(dropzone);
})();
