// OpenTrail console: the little interaction pages need beyond HTML forms. Every page
// works without it; it only saves clicks.
"use strict";
document.addEventListener("submit", function (event) {
  // Forms that destroy something ask first.
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  // A time-range preset or a filter attribute changed: show the custom fields only when
  // they are needed.
  var target = event.target;
  if (target.name === "range") {
    var custom = document.getElementById("custom-range");
    if (custom) { custom.hidden = target.value !== "custom"; }
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var range = document.querySelector("select[name=range]");
  var custom = document.getElementById("custom-range");
  if (range && custom) { custom.hidden = range.value !== "custom"; }
  // A running Lake query: reload until it has finished.
  var running = document.querySelector("[data-refresh]");
  if (running) {
    window.setTimeout(function () { window.location.reload(); },
      Number(running.getAttribute("data-refresh")) || 1000);
  }
  // "Add filter" copies the last filter row.
  var add = document.getElementById("add-filter");
  if (add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = document.querySelectorAll(".filter-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      copy.querySelectorAll("[id]").forEach(function (node) {
        node.id = node.id.replace(/\d+$/, String(rows.length));
      });
      copy.querySelectorAll("label[for]").forEach(function (node) {
        node.htmlFor = node.htmlFor.replace(/\d+$/, String(rows.length));
      });
      last.parentNode.insertBefore(copy, last.nextSibling);
      copy.querySelector("select").focus();
    });
  }
});
