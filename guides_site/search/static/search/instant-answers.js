// While a reader types a follow-up question, show the guides and published answers that may
// already answer it, under the box. Without this file the question form works as before.
(function () {
  "use strict";

  var PAUSE_MS = 500;
  var timer = null;
  var latest = 0;

  function box(textarea) {
    var form = textarea.form;
    return form && form.parentElement.querySelector("[data-instant-answers]");
  }

  function look(textarea, target) {
    var asked = ++latest;
    var url = target.dataset.url + "&q=" + encodeURIComponent(textarea.value.slice(0, 1000));
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        // htmx would not run scripts in it either: the fragment is the server's own HTML.
        if (asked === latest) target.innerHTML = html;
      })
      .catch(function () {}); // offline: the question can still be sent
  }

  function typed(textarea) {
    if (!textarea.matches || !textarea.matches(".question-form textarea[name=text]")) return;
    var target = box(textarea);
    if (!target) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (textarea.value.trim().length < 3) {
        latest++;
        target.innerHTML = "";
      } else {
        look(textarea, target);
      }
    }, PAUSE_MS);
  }

  document.addEventListener("input", function (event) {
    typed(event.target);
  });
  // This file arrives once the reader is in the box (static/js/site.js): what they typed
  // meanwhile counts too.
  if (document.activeElement && document.activeElement.value) typed(document.activeElement);
})();
