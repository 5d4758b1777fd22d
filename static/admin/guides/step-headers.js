// Each step's header names the position it will be saved at, and follows a drag, a
// "move to first/last" or an added step at once (the headers would otherwise keep the
// positions the page was loaded with).
(function () {
  "use strict";
  function renumber(group) {
    var steps = group.querySelectorAll(".inline-related:not(.empty-form)");
    steps.forEach(function (step, index) {
      var label = step.querySelector("h3 .inline_label");
      if (label && label.firstChild && label.firstChild.nodeType === Node.TEXT_NODE) {
        label.firstChild.textContent = String(index + 1) + " ";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var group = document.getElementById("steps-group");
    if (!group) return;
    renumber(group);
    new MutationObserver(function () { renumber(group); }).observe(group, {
      childList: true,
      subtree: true,
    });
  });
})();
