/* memcon presentation mode: keys for the steps of templates/presentation.html.

   The page works without this script (its steps are plain links); this adds the keys:
   ArrowRight, PageDown or space: next; ArrowLeft, PageUp or shift+space: previous;
   Home: first; End: last; Escape: back to the compare view at this link.
   The step URLs are on <body data-next data-previous data-first data-last data-back>.

   On the compare page, a link marked data-present-link follows the selected link
   (compare.js's memcon:select event): "Present this link" opens it here. */
(function () {
  "use strict";

  const KEYS = {
    ArrowRight: "next",
    PageDown: "next",
    ArrowLeft: "previous",
    PageUp: "previous",
    Home: "first",
    End: "last",
    Escape: "back",
  };

  function stepFor(event) {
    if (event.key === " ") return event.shiftKey ? "previous" : "next";
    return KEYS[event.key] || null;
  }

  function inForm(target) {
    return Boolean(target && target.closest && target.closest("input, select, textarea, button"));
  }

  function setUpKeys(body) {
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const step = stepFor(event);
      if (!step || (step !== "back" && inForm(event.target))) return;
      event.preventDefault();
      const url = body.dataset[step];
      if (url) window.location.assign(url);
    });
    body.classList.add("keys-ready"); /* for tests and styles: the keys work now */
  }

  function follow(anchor, base, panel, item) {
    if (!item || !item.dataset.number) return;
    const url = new URL(base, window.location.href);
    url.searchParams.set("account", panel.dataset.account);
    url.searchParams.set("link", item.dataset.number);
    anchor.href = url.pathname + url.search;
    const button = item.querySelector(".link-button");
    const name = button ? button.textContent.split("\u00b7")[0].replace(/\s+/g, " ").trim() : "";
    anchor.textContent = "Present this link" + (name ? " (" + name + ")" : "");
  }

  function setUpPresentLink(anchor) {
    const base = anchor.getAttribute("href");
    document.querySelectorAll("section.panel[data-account]").forEach((panel) => {
      panel.addEventListener("memcon:select", (event) => {
        follow(anchor, base, panel, event.detail && event.detail.item);
      });
      // Also when a link is selected without the event (an older compare.js): the
      // selected link's li gets the class "selected".
      const list = panel.querySelector("ol.links");
      if (!list || !window.MutationObserver) return;
      new MutationObserver((changes) => {
        changes.forEach((change) => {
          if (change.target.matches("li.link.selected")) follow(anchor, base, panel, change.target);
        });
      }).observe(list, { attributes: true, attributeFilter: ["class"], subtree: true });
    });
  }

  function setUp() {
    if (document.body.classList.contains("presentation")) setUpKeys(document.body);
    document.querySelectorAll("a[data-present-link]").forEach(setUpPresentLink);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
