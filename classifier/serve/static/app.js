// Conveniences on top of plain form posts; the page works without this file.
// * changing the mode, threshold or "always label" relabels the statement at once;
// * choosing a label in the corrections table reshades that sentence and counts the corrections.
(function () {
  "use strict";
  var labelForm = document.getElementById("label-form");
  var switches = document.querySelectorAll(".relabel");
  var text = document.getElementById("text");
  Array.prototype.forEach.call(switches, function (control) {
    control.addEventListener("change", function () {
      if (text && text.value.trim() && document.getElementById("corrections-form")) {
        labelForm.requestSubmit();
      }
    });
  });

  var corrections = document.getElementById("corrections-form");
  if (!corrections) { return; }
  var count = document.getElementById("correction-count");
  var selects = corrections.querySelectorAll("select[name=label]");

  function refresh() {
    var changed = 0;
    Array.prototype.forEach.call(selects, function (select) {
      var corrected = select.value !== select.getAttribute("data-predicted");
      if (corrected) { changed += 1; }
      select.closest("tr").classList.toggle("corrected", corrected);
    });
    count.textContent = changed === 1 ? "1 correction" : changed + " corrections";
  }

  Array.prototype.forEach.call(selects, function (select) {
    select.addEventListener("change", function () {
      var index = select.getAttribute("data-index");
      var sentence = document.querySelector("span.s[data-index='" + index + "']");
      if (sentence) {
        var label = select.value || "none";
        sentence.classList.remove("l-" + sentence.getAttribute("data-label"));
        sentence.classList.add("l-" + label);
        sentence.setAttribute("data-label", label);
      }
      refresh();
    });
  });
  refresh();
})();
