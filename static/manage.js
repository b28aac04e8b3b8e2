// memcon: copy buttons beside read-only fields (a share link). Vanilla JS, no inline
// script (the CSP forbids them): a button.copy[data-copy="<input id>"] copies that field.
(function () {
  "use strict";

  function copied(button, ok) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? "Copied" : "Select the link and copy it";
    window.setTimeout(function () { button.textContent = label; }, 2500);
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { copied(button, true); },
        function () { copied(button, document.execCommand("copy")); }
      );
    } else {
      copied(button, document.execCommand("copy"));
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy[data-copy]") : null;
    if (button) { copy(button); }
  });
})();
