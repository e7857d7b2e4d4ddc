/* hocbot dashboard: live progress of a broadcast, schedule fields by kind, confirmations. No libraries. */
(function () {
  "use strict";

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  }

  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function showProgress(bar, p) {
    bar.value = p.percent;
    bar.setAttribute("data-percent", String(p.percent));
    bar.textContent = p.percent + "%";
    setText("progress-text", p.percent + "% · " + fmt(p.done) + "/" + fmt(p.total));
    ["sent", "failed", "blocked", "gone", "unreachable", "queued"].forEach(function (k) { setText("count-" + k, p[k]); });
    var status = document.getElementById("broadcast-status");
    if (status && p.status_label) {
      status.textContent = p.status_label;
      status.className = "status s-" + (p.finished && (p.status === "sending" || p.status === "queued") ? "done" : p.status);
    }
    if (p.finished) {
      bar.setAttribute("data-finished", "1");
      document.body.setAttribute("data-finished", "1");
      var done = document.getElementById("progress-done");
      if (done) { done.hidden = false; }
      var cancel = document.getElementById("cancel-form");
      if (cancel) { cancel.hidden = true; }
    }
  }

  function pollProgress() {
    var bar = document.getElementById("progress");
    if (!bar || !bar.getAttribute("data-progress-url")) { return; }
    if (bar.getAttribute("data-finished") === "1") { document.body.setAttribute("data-finished", "1"); return; }
    var url = bar.getAttribute("data-progress-url");
    var failures = 0;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (p) {
          failures = 0;
          showProgress(bar, p);
          if (!p.finished) { window.setTimeout(tick, 1000); }
        })
        .catch(function () {
          failures += 1;
          if (failures < 30) { window.setTimeout(tick, 3000); }
        });
    }
    window.setTimeout(tick, 500);
  }

  function scheduleFields() {
    var kind = document.getElementById("kind");
    if (!kind) { return; }
    function update() {
      var blocks = document.querySelectorAll(".when[data-kinds]");
      Array.prototype.forEach.call(blocks, function (el) {
        el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", update);
    update();
  }

  function confirmations() {
    var forms = document.querySelectorAll("form.js-confirm[data-confirm]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  }

  function oneClick() {
    /* A slow network must not send a broadcast twice: disable a form's buttons once it is submitted. */
    Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
      form.addEventListener("submit", function (ev) {
        if (ev.defaultPrevented) { return; }
        window.setTimeout(function () {
          Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
        }, 0);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    pollProgress();
    scheduleFields();
    confirmations();
    oneClick();
  });
})();
