// memcon compare view: draw connectors between linked sentences, select a link by
// mouse or keyboard and show its changed words. No dependencies; no inline scripts.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";

  function sentence(panel, side, index) {
    return panel.querySelector(`ol.${side} li.sentence[data-index="${index}"]`);
  }

  function numbers(text) {
    return text ? text.split(" ").map(Number) : [];
  }

  function drawPanel(panel) {
    const svg = panel.querySelector("svg.connectors");
    const columns = panel.querySelector(".columns");
    if (!svg || !columns) return;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    // Collapse first: the columns' height must come from the sentence lists alone, or the
    // connectors would keep the page as tall as it ever was (after a fold or a resize).
    svg.setAttribute("height", "0");
    const height = columns.getBoundingClientRect().height;
    svg.setAttribute("height", String(height));
    const box = svg.getBoundingClientRect();
    svg.setAttribute("viewBox", `0 0 ${box.width} ${height}`);
    const top = box.top;
    panel.querySelectorAll("ol.links > li.link").forEach((item) => {
      const moved = item.dataset.moved === "true";
      const possible = item.dataset.possibleMove === "true";
      numbers(item.dataset.source).forEach((i) => {
        numbers(item.dataset.witness).forEach((j) => {
          const a = sentence(panel, "record", i);
          const b = sentence(panel, "account", j);
          if (!a || !b) return;
          const ra = a.getBoundingClientRect();
          const rb = b.getBoundingClientRect();
          const y1 = ra.top - top + Math.min(ra.height / 2, 14);
          const y2 = rb.top - top + Math.min(rb.height / 2, 14);
          const w = box.width;
          // A group: the visible line, and a wide transparent line on top to click.
          const group = document.createElementNS(SVG, "g");
          const status = item.dataset.status || "machine";
          const human = status !== "machine" ? " human" : "";
          group.setAttribute("class", "connector" + (moved ? " moved" : possible ? " possible-move" : "") + human);
          group.dataset.link = item.dataset.number;
          group.dataset.status = status;
          const d = `M 0 ${y1} C ${w / 2} ${y1}, ${w / 2} ${y2}, ${w} ${y2}`;
          ["line", "hit"].forEach((kind) => {
            const path = document.createElementNS(SVG, "path");
            path.setAttribute("d", d);
            path.setAttribute("class", kind);
            group.appendChild(path);
          });
          const title = document.createElementNS(SVG, "title");
          title.textContent = item.querySelector(".link-button").textContent.replace(/\s+/g, " ").trim();
          group.appendChild(title);
          group.addEventListener("click", () => select(panel, item, true));
          svg.appendChild(group);
        });
      });
    });
  }

  function select(panel, item, focus) {
    panel.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
    item.classList.add("selected");
    const number = item.dataset.number;
    panel.querySelectorAll(`svg.connectors g[data-link="${number}"]`).forEach((g) => {
      g.classList.add("selected");
      g.parentNode.appendChild(g); // draw on top
    });
    numbers(item.dataset.source).forEach((i) => sentence(panel, "record", i)?.classList.add("selected"));
    numbers(item.dataset.witness).forEach((j) => sentence(panel, "account", j)?.classList.add("selected"));
    const shown = panel.querySelector(".selected-link");
    if (shown) {
      shown.replaceChildren();
      const heading = document.createElement("p");
      heading.className = "selected-title";
      heading.textContent = "Selected link: " + item.querySelector(".link-button").textContent.replace(/\s+/g, " ").trim();
      shown.appendChild(heading);
      shown.appendChild(item.querySelector(".link-detail").cloneNode(true));
      shown.hidden = false;
    }
    if (focus) item.querySelector(".link-button").focus();
    if (history.replaceState) history.replaceState(null, "", `#${item.id}`);
    panel.dispatchEvent(new CustomEvent("memcon:select", { detail: { item } }));
  }

  function onKey(panel, event) {
    const items = Array.from(panel.querySelectorAll("ol.links > li.link"));
    const current = items.findIndex((li) => li.contains(document.activeElement));
    if (current < 0) return;
    let next = current;
    if (event.key === "ArrowDown" || event.key === "j") next = Math.min(items.length - 1, current + 1);
    else if (event.key === "ArrowUp" || event.key === "k") next = Math.max(0, current - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    else return;
    event.preventDefault();
    select(panel, items[next], true);
  }

  // Listeners sit on the panel itself, so a panel whose content is replaced in place
  // (curate.js re-fetches it after a change) keeps working: redraw(panel) is enough.
  function bind(panel) {
    panel.classList.add("scripted");
    panel.addEventListener("click", (event) => {
      const button = event.target.closest("ol.links > li.link > .link-button");
      if (button) {
        select(panel, button.parentElement, false);
        return;
      }
      const li = event.target.closest("ol.sentences li[data-link]");
      if (!li || event.target.closest("a, input, button, label, select, textarea")) return;
      const item = panel.querySelector(`ol.links > li[data-number="${li.dataset.link}"]`);
      if (item) select(panel, item, true);
    });
    panel.addEventListener("keydown", (event) => {
      if (event.target.closest("ol.links")) onKey(panel, event);
    });
    panel.addEventListener("toggle", () => drawPanel(panel), true); // toggle does not bubble
  }

  window.memconCompare = { redraw: drawPanel, select };

  function setUp() {
    const panels = Array.from(document.querySelectorAll("section.panel"));
    panels.forEach((panel) => {
      bind(panel);
      drawPanel(panel);
    });
    let pending = 0;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => panels.forEach(drawPanel));
    });
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.matches("li.link")) select(target.closest("section.panel"), target, false);
    if (target && target.closest("details")) {
      target.closest("details").open = true;
      target.scrollIntoView();
    }
    document.body.classList.add("connectors-ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
