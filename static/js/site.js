// Small enhancements on top of htmx. Every feature works without this file.
(function () {
  "use strict";

  // After htmx swaps in a fragment, move focus to its marked element so keyboard and
  // screen reader users land on the new content instead of a removed button.
  function focusSwappedContent(element) {
    if (!element.querySelector) return;
    var target = element.matches("[data-swap-focus]")
      ? element
      : element.querySelector("[data-swap-focus]");
    if (target) target.focus();
  }

  function enhanceSharing(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-copy-link]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copyLink).then(function () {
          var status = button.parentElement.querySelector(".copy-status");
          if (status) status.textContent = button.dataset.copiedText;
        });
      });
    });
    root.querySelectorAll("[data-share-url]").forEach(function (button) {
      if (!navigator.share) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator
          .share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
          .catch(function () {}); // the reader closed the share sheet
      });
    });
  }

  // Instant answers under the question box come with their own script, fetched when a reader
  // first goes into the box: most readers never ask, and need not download it.
  document.addEventListener("focusin", function loadInstantAnswers(event) {
    var form = event.target.form;
    var box = form && form.querySelector("[data-instant-answers-script]");
    if (!box) return;
    document.removeEventListener("focusin", loadInstantAnswers);
    var script = document.createElement("script");
    script.src = box.dataset.instantAnswersScript;
    document.head.appendChild(script);
  });

  if (window.htmx) {
    window.htmx.onLoad(function (element) {
      enhanceSharing(element);
      if (element !== document.body) focusSwappedContent(element);
    });
  } else {
    enhanceSharing(document);
  }
})();
