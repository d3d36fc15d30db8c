/* Small progressive enhancements. No inline scripts anywhere (CSP default-src 'self').
 *
 *  <select data-autosubmit>          submits its form when changed
 *                                    (mark the fallback submit button with class "js-hide")
 *  <select data-navigate>            option values are same-site URLs ("/regions/…"); goes there on change
 *  <form data-confirm="…">           asks for confirmation before submitting
 *  <button data-confirm="…">         same, for a single submit button / link
 *  <button data-print>               opens the print dialog
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function isSameSitePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLSelectElement)) return;
    if (el.hasAttribute("data-navigate")) {
      if (isSameSitePath(el.value)) window.location.assign(el.value);
      return;
    }
    if (el.hasAttribute("data-autosubmit") && el.form) {
      if (typeof el.form.requestSubmit === "function") el.form.requestSubmit();
      else el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var printer = target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
      return;
    }
    var confirmer = target.closest("button[data-confirm], input[type=submit][data-confirm], a[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  /* Move focus to the first field with an error after a failed submit, so
     keyboard and screen-reader users land on the problem. */
  function focusFirstError(root) {
    var invalid = (root || document).querySelector("[aria-invalid='true']");
    if (invalid && typeof invalid.focus === "function" && !document.querySelector("[autofocus]")) {
      invalid.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  } else {
    focusFirstError(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target) focusFirstError(event.detail.target);
  });
})();
