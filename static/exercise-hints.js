// Hints that cost points: "Show a hint" asks the server (fetch, no page load), which
// records the hint against this page's attempt before answering; the hint replaces the
// button and the status line says what the hints used cost. Without scripts the button
// submits the form to the same address and the page comes back with the hint.
(function () {
  "use strict";

  function field(form, name) {
    var input = form.querySelector('input[name="' + name + '"]');
    return input ? input.value : "";
  }

  function say(text) {
    var status = document.getElementById("hint-status");
    if (status) status.textContent = text;
  }

  function reveal(button) {
    var form = button.form;
    var body = new FormData();
    body.append("csrf_token", field(form, "csrf_token"));
    body.append("attempt", field(form, "attempt"));
    button.disabled = true;
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": field(form, "csrf_token") }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) {
        button.disabled = false;
        say("No hint: " + answer.data.error);
        return;
      }
      var line = button.parentNode;
      line.textContent = answer.data.text;
      say(answer.data.status);
    }).catch(function () {
      button.disabled = false;
      say("No hint: the server could not be reached; try again.");
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("button.hint-button");
    if (!button) return;
    e.preventDefault();
    reveal(button);
  });
})();
