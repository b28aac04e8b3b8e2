// memcon: record phrases suggested while one types in the order box (templates/_order_box.html).
// Asks GET <form data-phrases-url>?q=<typed> (webapp/views/api/phrases.py) a moment after the
// last key, fills the input's <datalist> with the record's phrases, and says under the input
// when the words are an account's, not the record's (with the record phrase to use instead).
// Vanilla JS, no inline script (CSP); without it the form works as before.
(function () {
  "use strict";
  var WAIT = 150;

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function fill(list, suggestions) {
    clear(list);
    suggestions.forEach(function (s) {
      var option = document.createElement("option");
      option.value = s.phrase;
      option.label = "R" + s.sentence + (s.exact ? "" : " (close)");
      list.appendChild(option);
    });
  }

  function use(input, phrase) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "use-phrase";
    button.textContent = "Use “" + phrase + "”";
    button.addEventListener("click", function () {
      input.value = phrase;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    });
    return button;
  }

  function hint(node, input, answer) {
    clear(node);
    if (!answer.query.trim() || answer.in_record || answer.suggestions.length) { return; }
    if (!answer.accounts.length) {
      node.textContent = "No phrase of the record is near these words.";
      return;
    }
    answer.accounts.forEach(function (h) {
      var line = document.createElement("span");
      line.className = "phrase-account";
      var linked = h.record_sentences.length
        ? ", linked to R" + h.record_sentences.join(", R") + ": "
        : ", linked to no record sentence.";
      line.textContent = "Not in the record: " + h.title + " has these words in A" +
        h.sentence + linked;
      node.appendChild(line);
      if (h.offer) { node.appendChild(use(input, h.offer)); }
    });
  }

  function watch(form, input) {
    var list = document.getElementById(input.getAttribute("list"));
    var note = document.getElementById(input.getAttribute("aria-describedby"));
    var url = form.getAttribute("data-phrases-url");
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var mine = ++asked;
        var typed = input.value;
        var join = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + join + "q=" + encodeURIComponent(typed), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (answer) {
          if (!answer || mine !== asked) { return; }  // a later keystroke's answer wins
          if (list) { fill(list, answer.suggestions); }
          if (note) { hint(note, input, answer); }
          form.dispatchEvent(new CustomEvent("memcon:phrases", { detail: answer }));
        }).catch(function () { /* suggestions are a help: the form works without them */ });
      }, WAIT);
    });
  }

  function start() {
    document.querySelectorAll("form.phrase-form[data-phrases-url]").forEach(function (form) {
      form.querySelectorAll("input[list]").forEach(function (input) { watch(form, input); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
