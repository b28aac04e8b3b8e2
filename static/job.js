// Keep a background comparison's progress panel (templates/_job.html) up to date: ask
// GET /api/jobs/<id> every second and reload the page when the job ends, so that it shows
// the comparison (or why there is none). No inline script: the CSP forbids it.
(function () {
  "use strict";

  function start() {
    var panel = document.querySelector(".job[data-poll]");
    if (!panel) return;
    var url = panel.getAttribute("data-poll");
    var field = function (name) { return panel.querySelector('[data-job="' + name + '"]'); };
    var stages = Array.prototype.slice.call(panel.querySelectorAll("[data-stage]"));
    var failures = 0;

    function show(job) {
      var status = job.status === "running" && job.cancel_requested ? "cancelling" : job.status;
      field("status").textContent = status.charAt(0).toUpperCase() + status.slice(1);
      field("stage").textContent = job.stage_label;
      field("percent").textContent = String(job.percent);
      field("bar").value = job.percent;
      field("bar").textContent = job.percent + "%";
      var message = field("message");
      message.textContent = job.message || "";
      message.hidden = !job.message;
      var current = -1;
      stages.forEach(function (li, index) {
        if (li.getAttribute("data-stage") === job.stage) current = index;
      });
      stages.forEach(function (li, index) {
        li.className = index < current ? "done" : index === current ? "current" : "todo";
      });
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          show(job);
          if (job.status === "queued" || job.status === "running") {
            window.setTimeout(poll, 1000);
          } else {
            window.location.reload();
          }
        })
        .catch(function () {
          // The server may be restarting: keep asking, less often.
          failures += 1;
          window.setTimeout(poll, Math.min(10000, 1000 * (failures + 1)));
        });
    }

    window.setTimeout(poll, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
