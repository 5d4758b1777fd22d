// Steps added with "Add another step" are new DOM that htmx has not seen yet.
document.addEventListener("formset:added", function (event) {
  if (window.htmx) window.htmx.process(event.target);
});
