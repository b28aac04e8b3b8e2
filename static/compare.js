// memcon compare view: draw connectors between linked sentences, select a link by mouse
// or keyboard and show its detail (fetched from ?fragment=<slug>&link=<n>), filter a
// panel, walk its changes (n / p), and pair the sentences on phones. No dependencies, no
// inline scripts. Exposes window.memconCompare = {redraw(panel), select(panel, item, focus)}.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const state = new WeakMap(); // panel -> {record, account, details, changes, at}
  let lastPanel = null;

  function numbers(text) {
    return text ? text.split(" ").map(Number) : [];
  }

  function info(panel) {
    let s = state.get(panel);
    if (!s) {
      s = { details: new Map(), at: -1, chosen: [], lines: new Map() };
      state.set(panel, s);
    }
    return s;
  }

  // Index the sentences once per redraw: querying 2,000 selectors per draw is slow.
  function indexSentences(panel) {
    const s = info(panel);
    s.record = new Map();
    s.account = new Map();
    panel.querySelectorAll("ol.record li.sentence").forEach((li) => s.record.set(Number(li.dataset.index), li));
    panel.querySelectorAll("ol.account li.sentence").forEach((li) => s.account.set(Number(li.dataset.index), li));
  }

  function sentence(panel, side, index) {
    const s = info(panel);
    if (!s.record) indexSentences(panel);
    return (side === "record" ? s.record : s.account).get(index) || null;
  }

  function label(item) {
    return item.querySelector(".link-button").textContent.replace(/\s+/g, " ").trim();
  }

  // Read every position first, then write the SVG once: no forced layout per link.
  function drawPanel(panel) {
    const svg = panel.querySelector("svg.connectors");
    const columns = panel.querySelector(".columns");
    if (!svg || !columns) return;
    svg.replaceChildren();
    svg.setAttribute("height", "0");
    if (getComputedStyle(svg).display === "none") return; // phones: the sentences are paired
    const height = columns.getBoundingClientRect().height;
    svg.setAttribute("height", String(height));
    const box = svg.getBoundingClientRect();
    const spans = [];
    panel.querySelectorAll("ol.links > li.link").forEach((item) => {
      numbers(item.dataset.source).forEach((i) => {
        numbers(item.dataset.witness).forEach((j) => {
          const a = sentence(panel, "record", i);
          const b = sentence(panel, "account", j);
          if (!a || !b) return;
          const ra = a.getBoundingClientRect();
          const rb = b.getBoundingClientRect();
          if (!ra.height || !rb.height) return; // filtered out or folded away
          spans.push([item, ra.top - box.top + Math.min(ra.height / 2, 14), rb.top - box.top + Math.min(rb.height / 2, 14), j]);
        });
      });
    });
    svg.setAttribute("viewBox", `0 0 ${box.width} ${height}`);
    const w = box.width;
    const out = document.createDocumentFragment();
    const lines = new Map();
    info(panel).lines = lines;
    spans.forEach(([item, y1, y2, j]) => {
      // A passage told twice: each telling's connectors carry that telling's own flags.
      const told = item.dataset.movedAt !== undefined;
      const moved = told ? numbers(item.dataset.movedAt).includes(j) : item.dataset.moved === "true";
      const possible = told ? numbers(item.dataset.possibleAt).includes(j) : item.dataset.possibleMove === "true";
      // A group: the visible line, and a wide transparent line on top to click.
      const group = document.createElementNS(SVG, "g");
      const status = item.dataset.status || "machine"; // a person's decision looks different
      group.setAttribute("class", "connector" + (moved ? " moved" : possible ? " possible-move" : "") + (status !== "machine" ? " human" : "") + (item.classList.contains("selected") ? " selected" : ""));
      group.dataset.link = item.dataset.number;
      group.dataset.witness = String(j);
      group.dataset.status = status;
      const d = `M 0 ${y1} C ${w / 2} ${y1}, ${w / 2} ${y2}, ${w} ${y2}`;
      ["line", "hit"].forEach((kind) => {
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", d);
        path.setAttribute("class", kind);
        group.appendChild(path);
      });
      const title = document.createElementNS(SVG, "title");
      title.textContent = label(item);
      group.appendChild(title);
      out.appendChild(group);
      if (!lines.has(item.dataset.number)) lines.set(item.dataset.number, []);
      lines.get(item.dataset.number).push(group);
      if (item.classList.contains("selected")) info(panel).chosen.push(group);
    });
    svg.appendChild(out);
    const chosen = svg.querySelector("g.selected");
    if (chosen) svg.appendChild(chosen);
  }

  function item(panel, number) {
    return panel.querySelector(`ol.links > li.link[data-number="${number}"]`);
  }

  // The selected elements are remembered: querying a 3,000-element panel for them is slow.
  function mark(panel, el) {
    el.classList.add("selected");
    info(panel).chosen.push(el);
  }

  function clearSelection(panel) {
    const s = info(panel);
    s.chosen.forEach((el) => el.classList.remove("selected"));
    s.chosen = [];
  }

  function fragmentUrl(panel, number) {
    const url = new URL(location.href);
    url.hash = "";
    url.searchParams.delete("panel");
    url.searchParams.set("fragment", panel.dataset.account);
    url.searchParams.set("link", String(number));
    return url.toString();
  }

  function showDetail(panel, chosen, html) {
    const shown = panel.querySelector(".selected-link");
    if (!shown || !chosen.classList.contains("selected")) return;
    shown.innerHTML = html; // the server's own, escaped fragment of this page
    shown.hidden = false;
    panel.dispatchEvent(new CustomEvent("memcon:select", { detail: { item: chosen } }));
  }

  function loadDetail(panel, chosen) {
    const number = chosen.dataset.number;
    const shown = panel.querySelector(".selected-link");
    const s = info(panel);
    if (shown && shown.querySelector(`.link-detail[data-link="${number}"]`)) {
      shown.hidden = false; // already there (the server rendered it for ?panel=&link=)
      s.details.set(number, shown.innerHTML);
      panel.dispatchEvent(new CustomEvent("memcon:select", { detail: { item: chosen } }));
      return;
    }
    if (s.details.has(number)) {
      showDetail(panel, chosen, s.details.get(number));
      return;
    }
    if (shown) {
      shown.hidden = false;
      shown.replaceChildren(Object.assign(document.createElement("p"), { className: "selected-title", textContent: "Selected link: " + label(chosen) }));
    }
    fetch(fragmentUrl(panel, number), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => {
        s.details.set(number, html);
        showDetail(panel, chosen, html);
      })
      .catch(() => {
        if (!shown || !chosen.classList.contains("selected")) return;
        const p = document.createElement("p");
        p.className = "error";
        p.textContent = "The link's details could not be loaded; reload the page to try again.";
        shown.appendChild(p);
      });
  }

  function select(panel, chosen, focus, walking) {
    lastPanel = panel;
    // n / p go on from a link chosen by hand (from its record sentence).
    if (!walking) info(panel).from = sentence(panel, "record", numbers(chosen.dataset.source)[0]);
    clearSelection(panel);
    mark(panel, chosen);
    const number = chosen.dataset.number;
    (info(panel).lines.get(number) || []).forEach((g) => {
      mark(panel, g);
      g.parentNode.appendChild(g); // draw on top
    });
    numbers(chosen.dataset.source).forEach((i) => {
      const el = sentence(panel, "record", i);
      if (el) mark(panel, el);
    });
    numbers(chosen.dataset.witness).forEach((j) => {
      const el = sentence(panel, "account", j);
      if (el) mark(panel, el);
    });
    loadDetail(panel, chosen);
    if (focus) chosen.querySelector(".link-button").focus();
    if (history.replaceState) history.replaceState(null, "", `#${chosen.id}`);
  }

  function onListKey(panel, event) {
    const items = Array.from(panel.querySelectorAll("ol.links > li.link")).filter((li) => li.offsetParent !== null);
    const current = items.findIndex((li) => li.contains(document.activeElement));
    if (current < 0) return;
    let next = current;
    if (event.key === "ArrowDown" || event.key === "j") next = Math.min(items.length - 1, current + 1);
    else if (event.key === "ArrowUp" || event.key === "k") next = Math.max(0, current - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    else return;
    event.preventDefault();
    // At either end of the list the selection stays: the detail is not loaded again (a
    // reload would replace the editor under a key pressed meanwhile).
    if (next !== current) select(panel, items[next], true);
  }

  // ---- filters and the walk through the changes ----

  function changes(panel) {
    const filter = panel.dataset.filter || "all";
    const found = [];
    if (filter === "all" || filter === "moved") {
      // A passage told again out of order (.retold) is a move to walk to as well.
      const moves = filter === "moved" ? "li.link.moved, li.link.retold" : "li.link.moved, li.link.retold, li.link.possible-move";
      panel.querySelectorAll(`ol.links > :is(${moves})`).forEach((li) => {
        const el = sentence(panel, "record", numbers(li.dataset.source)[0]);
        if (el) found.push({ el, item: li, text: label(li) });
      });
    }
    if (filter === "all" || filter === "omitted") {
      panel.querySelectorAll("ol.sentences.record > li.gap, ol.sentences.record > li.sentence.omitted").forEach((el) => {
        const text = el.matches(".gap") ? el.querySelector("summary").textContent : `${el.querySelector(".num").textContent} left out by the account`;
        found.push({ el, item: null, text });
      });
    }
    if (filter === "all" || filter === "added") {
      panel.querySelectorAll("ol.sentences.account > li.sentence.added").forEach((el) => {
        found.push({ el, item: null, text: `${el.querySelector(".num").textContent} added by the account` });
      });
    }
    const tops = new Map(found.map((c) => [c, c.el.getBoundingClientRect().top]));
    return found.filter((c) => c.el.offsetParent !== null).sort((a, b) => tops.get(a) - tops.get(b));
  }

  function walk(panel, step) {
    lastPanel = panel;
    const list = changes(panel);
    const s = info(panel);
    const status = panel.querySelector(".change-status");
    if (!list.length) {
      if (status) status.textContent = "No change of this kind in this account.";
      return;
    }
    if (s.from) {
      const exact = list.findIndex((c) => c.el === s.from);
      const top = s.from.getBoundingClientRect().top;
      const after = list.findIndex((c) => c.el.getBoundingClientRect().top > top);
      s.at = exact >= 0 ? exact : (after < 0 ? list.length : after) - (step > 0 ? 1 : 0);
      s.from = null;
    }
    const at = Math.max(0, Math.min(list.length - 1, s.at + step));
    const edge = at === s.at;
    s.at = at;
    const change = list[at];
    if (change.item) select(panel, change.item, false, true);
    else {
      clearSelection(panel);
      mark(panel, change.el);
    }
    if (!change.el.hasAttribute("tabindex")) change.el.setAttribute("tabindex", "-1");
    change.el.focus({ preventScroll: true });
    change.el.scrollIntoView({ block: "center" });
    const where = edge ? (step > 0 ? " (the last one)" : " (the first one)") : "";
    if (status) status.textContent = `Change ${at + 1} of ${list.length}${where}: ${change.text}.`;
  }

  function setFilter(panel, value) {
    panel.dataset.filter = value;
    info(panel).at = -1;
    info(panel).from = null;
    if (value === "omitted") panel.querySelectorAll("li.gap > details").forEach((d) => (d.open = true));
    drawPanel(panel);
    const status = panel.querySelector(".change-status");
    const count = changes(panel).length;
    if (status) status.textContent = value === "all" ? `Showing everything; ${count} changes.` : `Showing ${value} only: ${count}.`;
  }

  function onDocumentKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== "n" && event.key !== "p")) return;
    if (event.target.closest("textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])")) return;
    const panel = event.target.closest("section.panel") || lastPanel || document.querySelector("section.panel");
    if (!panel) return;
    event.preventDefault();
    walk(panel, event.key === "n" ? 1 : -1);
  }

  // ---- phones: each record sentence followed by its counterpart (CSS order) ----

  function pairOrder(panel) {
    const seq = [];
    const placed = new Set();
    panel.querySelectorAll("ol.sentences.record > li").forEach((li) => {
      seq.push(li);
      const chosen = li.dataset.link && item(panel, li.dataset.link);
      if (!chosen || numbers(chosen.dataset.source)[0] !== Number(li.dataset.index)) return;
      numbers(chosen.dataset.witness).forEach((j) => {
        const b = sentence(panel, "account", j);
        if (b && !placed.has(b)) {
          seq.push(b);
          placed.add(b);
        }
      });
    });
    let previous = -1;
    panel.querySelectorAll("ol.sentences.account > li.sentence").forEach((b) => {
      if (!placed.has(b)) seq.splice(previous + 1, 0, b);
      previous = seq.indexOf(b);
    });
    seq.forEach((el, k) => (el.style.order = String(k)));
  }

  function redraw(panel) {
    indexSentences(panel);
    info(panel).details.clear();
    pairOrder(panel);
    drawPanel(panel);
  }

  // Every listener sits on the panel itself, so a panel whose content curate.js replaces in
  // place keeps working: redraw(panel) is then enough.
  function setUpPanel(panel) {
    panel.classList.add("scripted");
    panel.querySelectorAll(".selected").forEach((el) => info(panel).chosen.push(el)); // server's
    panel.addEventListener("click", (event) => {
      if (event.target.closest(".next-change")) return walk(panel, 1);
      if (event.target.closest(".prev-change")) return walk(panel, -1);
      const button = event.target.closest(".link-button");
      const line = event.target.closest("svg.connectors g.connector");
      const li = event.target.closest("ol.sentences li.sentence[data-link]");
      let chosen = null;
      if (button) {
        event.preventDefault(); // without a script the button asks the server for the detail
        chosen = button.closest("li.link");
      } else if (line) chosen = item(panel, line.dataset.link);
      else if (li && !event.target.closest("a, input, label, button")) chosen = item(panel, li.dataset.link);
      if (chosen) select(panel, chosen, !button);
    });
    panel.addEventListener("keydown", (event) => {
      if (event.target.closest("ol.links")) onListKey(panel, event);
    });
    panel.addEventListener("toggle", (event) => {
      if (event.target.closest("li.gap")) drawPanel(panel);
    }, true); // toggle does not bubble
    panel.addEventListener("change", (event) => {
      if (event.target.matches(".filter input[type=radio]")) setFilter(panel, event.target.value);
    });
    redraw(panel);
  }

  function setUp() {
    const panels = Array.from(document.querySelectorAll("section.panel"));
    panels.forEach(setUpPanel);
    document.addEventListener("keydown", onDocumentKey);
    let pending = 0;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => panels.forEach(drawPanel));
    });
    const target = location.hash && document.getElementById(location.hash.slice(1));
    const preselected = document.querySelector("section.panel ol.links > li.link.selected");
    const chosen = target && target.matches("li.link") ? target : preselected;
    if (chosen) select(chosen.closest("section.panel"), chosen, false);
    if (target && target.closest("details")) {
      target.closest("details").open = true;
      target.scrollIntoView();
    }
    document.body.classList.add("connectors-ready");
    if (performance.mark) performance.mark("memcon-connectors-ready");
  }

  window.memconCompare = { redraw, select };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
