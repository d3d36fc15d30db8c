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

/* The region picker: a filter box narrows a <select> grouped by town to the options whose name (or town's name)
 * contains the typed text; without JavaScript the box stays hidden and the grouped <select> works alone.
 * Forms whose buttons carry data-confirm get confirmed=yes once the dialog is accepted, so the server skips its
 * own confirmation page (which is what users without JavaScript see). */
(function () {
  "use strict";
  function narrow(input) {
    var select = document.getElementById(input.getAttribute("data-region-filter"));
    if (!select) return;
    var query = input.value.trim().toLowerCase();
    var firstMatch = null;
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var townHit = query !== "" && group.label.toLowerCase().indexOf(query) !== -1;
      var shown = 0;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var hit = query === "" || townHit || option.text.toLowerCase().indexOf(query) !== -1;
        option.hidden = !hit;
        if (hit) { shown += 1; if (!firstMatch && query !== "") firstMatch = option; }
      });
      group.hidden = shown === 0;
    });
    Array.prototype.forEach.call(select.querySelectorAll(":scope > option"), function (option) {
      if (option.value === "") return;
      var hit = query === "" || option.text.toLowerCase().indexOf(query) !== -1;
      option.hidden = !hit;
      if (hit && !firstMatch && query !== "") firstMatch = option;
    });
    if (firstMatch && (select.value === "" || select.selectedOptions[0].hidden)) select.value = firstMatch.value;
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-region-filter]"), function (input) {
      input.hidden = false;
      input.addEventListener("input", function () { narrow(input); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    var asks = form.hasAttribute("data-confirm") ||
      (event.submitter && event.submitter.hasAttribute && event.submitter.hasAttribute("data-confirm"));
    if (asks && !form.querySelector("input[name=confirmed]")) {
      var field = document.createElement("input");
      field.type = "hidden"; field.name = "confirmed"; field.value = "yes";
      form.appendChild(field);
    }
  });
})();

/* Wide tables: where a .table-wrap is narrower than its table, say so above it (the text comes from the page,
 * in its language: <body data-scroll-hint>) and let keyboard users scroll it (tabindex=0). */
(function () {
  "use strict";
  function mark() {
    var text = document.body ? document.body.getAttribute("data-scroll-hint") : null;
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      var hasHint = hint && hint.classList && hint.classList.contains("scroll-hint");
      if (wide && !hasHint && text) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.textContent = text;
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!wide && hasHint) {
        hint.parentNode.removeChild(hint);
      }
      wrap.classList.toggle("is-scrollable", wide);
      if (wide && !wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
