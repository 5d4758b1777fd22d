// Choosing in a changelist's autocomplete filter applies it, as a click on a filter link does.
// select2 announces a choice through jQuery's events only, hence django.jQuery, looked up once
// the page has loaded: the admin's media may list this file before jQuery.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  django.jQuery(document).on("change", "form.autocomplete-filter select", function () {
    this.form.submit();
  });
});
