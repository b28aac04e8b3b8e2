// memcon: what curation in place is made of (static/curate.js uses it): calls to the JSON API
// with the session cookie and the page's CSRF token, the status line with Undo (the inverse
// call of the last change), and re-reading a panel after a change, without a page load.
"use strict";

(function () {
  const undoStack = [];
  const hooks = { decorate: () => {} }; // set by curate.js: what a re-read panel needs
  let bar = null;
  let busy = false;

  // --- Small helpers -------------------------------------------------------------------

  const nums = (text) => (text ? text.split(" ").map(Number) : []);
  const names = (prefix, list) => list.map((n) => prefix + n).join(" ");
  const pairName = (source, witness) => `${names("R", source)} → ${names("A", witness)}`;
  const toolsOf = (panel) => panel.querySelector(".curate-tools").dataset;

  // A text field keeps its own Ctrl+Z; a letter typed in any field is not a command.
  function isTextField(target) {
    if (!target.closest) return false;
    if (target.closest("textarea, [contenteditable]")) return true;
    return target.matches("input") && !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  }

  function isTyping(target) {
    return isTextField(target) || Boolean(target.closest && target.closest("select"));
  }

  class Refused extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function call(panel, method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": toolsOf(panel).csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (_) {
      data = { error: `the server answered ${response.status} ${response.statusText}` };
    }
    if (!response.ok) throw new Refused(data.error || `refused (${response.status})`, response.status);
    return data;
  }

  // --- The status line and Undo ----------------------------------------------------------

  function makeBar() {
    bar = document.createElement("div");
    bar.className = "curate-bar";
    bar.innerHTML = '<p class="curate-message" role="status" aria-live="polite"></p>' +
      '<button type="button" class="curate-undo" disabled>Undo <kbd>Ctrl+Z</kbd></button>';
    bar.querySelector(".curate-undo").addEventListener("click", undo);
    document.body.appendChild(bar);
  }

  function say(text, error) {
    const message = bar.querySelector(".curate-message");
    message.textContent = text;
    bar.classList.toggle("error", Boolean(error));
    bar.classList.add("shown");
    const button = bar.querySelector(".curate-undo");
    button.disabled = undoStack.length === 0;
    button.title = undoStack.length ? `Undo: ${undoStack[undoStack.length - 1].what}` : "";
  }

  async function undo() {
    const last = undoStack.pop();
    if (!last || busy) {
      if (last) undoStack.push(last);
      say(last ? "Wait for the last change to finish." : "Nothing to undo.");
      return;
    }
    await perform(last.panel, async () => {
      await last.run();
      return { message: `Undone: ${last.what}.`, pair: last.pair };
    }, `Not undone (${last.what})`);
  }

  // Undo a change through the history: revert the newest change of that row, if it is ours.
  async function revertLatest(panel, target, id) {
    const tools = toolsOf(panel);
    const changes = await call(panel, "GET", `${tools.history}?target=${target}&id=${id}`);
    const latest = changes[0];
    if (!latest || latest.who !== tools.user) {
      throw new Refused("someone else changed it since: see its history", 409);
    }
    await call(panel, "POST", `${tools.history}/${latest.id}/revert`);
  }

  // Withdraw a decision made here, at its version as the page shows it now (a label saved
  // since has raised it): from its link, or from the list of links people removed.
  function withdrawById(panel, id, version) {
    const data = panel.querySelector(`.curation[data-decision="${id}"]`);
    const form = panel.querySelector(`form[action$="/links/${id}/delete"] input[name=version]`);
    const current = (data && data.dataset.version) || (form && form.value) || version;
    return call(panel, "DELETE", `${toolsOf(panel).links}/${id}?version=${current}`);
  }

  // --- Running a change: call, read the panel again, select, say what happened -------------

  async function perform(panel, change, failure = "Not saved") {
    if (busy) return;
    busy = true;
    panel.classList.add("curate-busy");
    const y = window.scrollY;
    try {
      const done = await change();
      if (done.undo) undoStack.push({ panel, ...done.undo });
      await refresh(panel);
      if (!reselect(panel, done.pair, done.number)) {
        // Nothing to select again (a mark, an undone new link): keep the focus near.
        const near = done.focus && panel.querySelector(done.focus);
        (near || bar.querySelector(".curate-undo")).focus({ preventScroll: true });
      }
      say(done.message);
    } catch (error) {
      const stale = error.status === 409;
      if (stale) await refresh(panel).catch(() => {});
      // The page's CSRF token lasts as long as Flask-WTF lets it (an hour by default).
      const expired = error.status === 403 && /CSRF/.test(error.message) ? ". Reload the page for a fresh one: what was saved stays saved." : "";
      say(`${failure}: ${error.message}${stale ? ". The panel now shows what is stored." : expired}`, true);
    } finally {
      window.scrollTo(window.scrollX, y);
      panel.classList.remove("curate-busy");
      busy = false;
    }
  }

  async function refresh(panel) {
    const url = new URL(location.href);
    url.hash = "";
    url.searchParams.set("fragment", panel.dataset.account);
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) throw new Refused(`the panel could not be read again (${response.status})`, 0);
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById(panel.id);
    if (!fresh) throw new Refused("the panel could not be read again", 0);
    const open = Array.from(panel.querySelectorAll("details[open] > summary"), (s) => s.textContent);
    panel.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
    panel.querySelectorAll("details > summary").forEach((s) => {
      if (open.includes(s.textContent)) s.parentElement.open = true;
    });
    hooks.decorate(panel);
    if (window.memconCompare) window.memconCompare.redraw(panel);
  }

  function findLink(panel, pair) {
    if (!pair) return null;
    const source = pair.source.map((n) => n - 1).join(" ");
    const witness = pair.witness.map((n) => n - 1).join(" ");
    return panel.querySelector(`ol.links > li.link[data-source="${source}"][data-witness="${witness}"]`);
  }

  // Select the changed link again (focus on it); a removed one leaves its place to the next.
  function reselect(panel, pair, number) {
    let item = findLink(panel, pair);
    if (!item && number) {
      const items = panel.querySelectorAll("ol.links > li.link");
      item = items[Math.min(number, items.length) - 1] || null;
    }
    if (item && window.memconCompare) window.memconCompare.select(panel, item, true);
    return Boolean(item);
  }

  window.memconCurate = {
    nums, pairName, toolsOf, isTextField, isTyping, Refused, call, makeBar, say, undo,
    revertLatest, withdrawById, perform, hooks, isBusy: () => busy,
  };
})();
