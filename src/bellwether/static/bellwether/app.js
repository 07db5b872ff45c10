// Small behaviours for the layout. No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // A menu group closes when another opens, on a click elsewhere, and on Escape.
    var groups = document.querySelectorAll(".nav-group details");
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) { return; }
        groups.forEach(function (other) { if (other !== group) { other.open = false; } });
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (!group.contains(event.target)) { group.open = false; } });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      groups.forEach(function (group) {
        if (group.open) { group.open = false; group.querySelector("summary").focus(); }
      });
    });
    // The task inbox count in the navigation, fetched after the page so that no page
    // pays for it: the answer is a small fragment (or nothing when there is nothing to do).
    document.querySelectorAll("[data-count-url]").forEach(function (slot) {
      fetch(slot.getAttribute("data-count-url"), { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (html) { if (html.trim()) { slot.outerHTML = html; } })
        .catch(function () { /* no count is better than an error */ });
    });
    // Auto-submit filter forms when a select changes (progressive enhancement).
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
    // Buttons that confirm before submitting: data-confirm="message". Answered yes, the
    // form carries confirmed=yes and the server skips its own confirmation step (which
    // is what a browser without JavaScript gets, core.forms.confirmation).
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); return; }
        var form = el.form;
        if (form && !form.querySelector("input[name=confirmed]")) {
          var flag = document.createElement("input");
          flag.type = "hidden"; flag.name = "confirmed"; flag.value = "yes";
          form.appendChild(flag);
        }
      });
    });
  });
  // A chart's figures (templates/includes/chart.html) print open: paper cannot click.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-table").forEach(function (el) { el.open = true; });
  });
})();
