// memcon: curation in place on the compare view. One editor per panel, filled from the
// selected link (or from an omitted / added sentence to link or mark); each change goes
// through static/curate-core.js (the API call, re-reading the panel, Undo).
// Loaded for people who may edit; without JavaScript the forms of the sentence pages work.
"use strict";

(function () {
  const { nums, pairName, toolsOf, isTextField, isTyping, call, makeBar, say, undo } = window.memconCurate;
  const { revertLatest, withdrawById, perform, hooks, isBusy } = window.memconCurate;
  let lastPanel = null;

  // --- The editor --------------------------------------------------------------------------

  function linkOf(item) {
    const data = item.querySelector(".curation")?.dataset || {}; // none for a machine link
    return {
      number: Number(item.dataset.number),
      source: nums(item.dataset.source).map((i) => i + 1),
      witness: nums(item.dataset.witness).map((j) => j + 1),
      status: item.dataset.status || "machine",
      decision: data.decision ? Number(data.decision) : null,
      version: data.version ? Number(data.version) : null,
      label: data.label || "",
      note: data.note || "",
      resp: data.resp || "the machine",
    };
  }

  function newEditor(panel, title) {
    const shown = panel.querySelector(".selected-link");
    if (title !== undefined) {
      panel.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
      shown.replaceChildren();
      const heading = document.createElement("p");
      heading.className = "selected-title";
      heading.textContent = title;
      shown.appendChild(heading);
      shown.hidden = false;
    }
    shown.querySelector(".editor")?.remove();
    const editor = panel.querySelector("template.editor-template").content.firstElementChild.cloneNode(true);
    shown.appendChild(editor);
    return editor;
  }

  function show(editor, selector, visible) {
    editor.querySelector(selector).hidden = !visible;
  }

  function fillNote(editor, note) {
    editor.querySelector("textarea[name=note]").value = note || "";
  }

  function linkEditor(panel, item) {
    const link = linkOf(item);
    const editor = newEditor(panel);
    const human = link.status !== "machine";
    editor.querySelector(".editor-state").textContent = human
      ? `${link.status === "confirmed" ? "✔ Confirmed" : "✚ Added"} by ${link.resp}: a person's decision.`
      : "Proposed by the machine: confirm, remove, or give it a label or a note (saving confirms it).";
    editor.querySelector("[data-act=confirm]").hidden = human;
    editor.querySelector("[data-act=withdraw]").hidden = !human;
    const historyLink = editor.querySelector(".editor-history");
    historyLink.hidden = !human;
    if (human) historyLink.href = `${toolsOf(panel).historyPage}?target=link&id=${link.decision}`;
    editor.querySelector("select[name=label]").value = link.label || "";
    fillNote(editor, link.note);
    editor.mode = { kind: "link", link };
    wire(panel, editor);
  }

  function sentenceText(li) {
    const text = Array.from(li.childNodes, (n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : "")).join("");
    return text.replace(/\s+/g, " ").trim();
  }

  function options(panel, select, side, numbers) {
    const prefix = side === "record" ? "R" : "A";
    panel.querySelectorAll(`ol.sentences.${side} li.sentence`).forEach((li) => {
      const n = Number(li.dataset.index) + 1;
      if (numbers && !numbers.includes(n)) return;
      const free = li.classList.contains(side === "record" ? "omitted" : "added") ? " (unlinked)" : "";
      select.add(new Option(`${prefix}${n}${free}: ${sentenceText(li).slice(0, 90)}`, String(n)));
    });
  }

  // A new link from an unlinked sentence (or one of a folded run): choose its counterpart.
  function sentenceEditor(panel, side, numbers, title) {
    const editor = newEditor(panel, title);
    show(editor, ".editor-actions", false);
    show(editor, ".editor-pair", true);
    const other = side === "record" ? "account" : "record";
    const own = editor.querySelector("select[name=own]");
    if (numbers.length > 1) {
      show(editor, ".own-choice", true);
      editor.querySelector(".own-label").textContent = side === "record" ? "Record sentence" : "Account sentence";
      options(panel, own, side, numbers);
    } else {
      own.add(new Option("", String(numbers[0])));
    }
    const name = numbers.length > 1 ? "it" : `${side === "record" ? "R" : "A"}${numbers[0]}`;
    editor.querySelector(".pair-label").textContent = `Link ${name} to`;
    const select = editor.querySelector("select[name=counterpart]");
    select.add(new Option(`(choose the ${other} sentence)`, ""));
    options(panel, select, other, null);
    editor.querySelector(".editor-state").textContent = "A new link: choose its counterpart, then Save.";
    editor.mode = { kind: "new", side };
    wire(panel, editor);
    (numbers.length > 1 ? own : select).focus();
  }

  function markEditor(panel, anchor) {
    const data = anchor.dataset;
    const name = `${data.side === "record" ? "R" : "A"}${data.number}`;
    const editor = newEditor(panel, `Mark ${name}: ${data.side === "record" ? "omitted from the record" : "added by the account"}`);
    show(editor, ".editor-actions", false);
    show(editor, ".editor-label", false);
    show(editor, ".editor-significance", true);
    editor.querySelector(".editor-state").textContent = "Is this omission or addition significant? Say why in the note.";
    editor.querySelector("select[name=significant]").value = data.significant || "unset";
    fillNote(editor, data.note);
    editor.mode = { kind: "mark", side: data.side, number: Number(data.number), version: data.version ? Number(data.version) : null };
    wire(panel, editor);
    editor.querySelector("select[name=significant]").focus();
  }

  function wire(panel, editor) {
    lastPanel = panel;
    editor.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-act]");
      if (button) act(panel, editor, button.dataset.act);
    });
    editor.addEventListener("keydown", (event) => {
      const save = event.key === "Enter" && (event.ctrlKey || event.metaKey || event.target.matches("select"));
      if (save) {
        event.preventDefault();
        act(panel, editor, "save");
      }
    });
    let timer = 0;
    editor.querySelector("textarea[name=note]").addEventListener("input", () => {
      if (editor.querySelector("[data-act=preview]").getAttribute("aria-pressed") !== "true") return;
      clearTimeout(timer);
      timer = setTimeout(() => preview(panel, editor, true), 400);
    });
  }

  async function preview(panel, editor, keep) {
    const button = editor.querySelector("[data-act=preview]");
    const box = editor.querySelector(".note-preview");
    const on = keep || button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    box.hidden = !on;
    if (!on) return;
    try {
      const note = editor.querySelector("textarea[name=note]").value;
      const data = await call(panel, "POST", toolsOf(panel).preview, { note });
      // The server's rendering, through the one sanitiser (Markdown without HTML, bleach).
      box.innerHTML = data.html || '<p class="meta">(an empty note)</p>';
    } catch (error) {
      box.textContent = `No preview: ${error.message}`;
    }
  }

  // --- The actions ---------------------------------------------------------------------------

  function fields(editor) {
    return {
      label: editor.querySelector("select[name=label]").value || null,
      note: editor.querySelector("textarea[name=note]").value,
    };
  }

  function act(panel, editor, what) {
    if (what === "preview") return preview(panel, editor, false);
    const mode = editor.mode;
    if (mode.kind === "mark") return saveMark(panel, editor, mode);
    if (mode.kind === "new") return saveNew(panel, editor, mode);
    const link = mode.link;
    if (what === "save" && link.status !== "machine") return saveEdit(panel, editor, link);
    if (what === "withdraw") return withdraw(panel, link);
    return decide(panel, link, what === "save" ? "confirm" : what, fields(editor));
  }

  function decide(panel, link, action, extra) {
    const tools = toolsOf(panel);
    const pair = { source: link.source, witness: link.witness };
    const verb = { confirm: "Confirmed", remove: "Removed", add: "Linked" }[action];
    return perform(panel, async () => {
      const body = { account: panel.dataset.account, action, ...pair, ...extra };
      const done = await call(panel, "POST", tools.links, body);
      const what = `${verb.toLowerCase()} ${pairName(pair.source, pair.witness)}`;
      return {
        message: `${verb} ${pairName(pair.source, pair.witness)}${extra.label ? ` with the label “${extra.label}”` : ""}.`,
        pair: action === "remove" ? null : pair,
        number: link.number,
        undo: { what, pair: action === "add" ? null : pair, run: () => withdrawById(panel, done.id, done.version) },
      };
    });
  }

  function saveEdit(panel, editor, link) {
    const pair = { source: link.source, witness: link.witness };
    return perform(panel, async () => {
      const body = { version: link.version, ...fields(editor) };
      const done = await call(panel, "PATCH", `${toolsOf(panel).links}/${link.decision}`, body);
      return {
        message: `Saved the label and note of ${pairName(pair.source, pair.witness)}.`,
        pair,
        undo: { what: `the label and note of ${pairName(pair.source, pair.witness)}`, pair, run: () => revertLatest(panel, done.target, done.id) },
      };
    });
  }

  function withdraw(panel, link) {
    const pair = { source: link.source, witness: link.witness };
    return perform(panel, async () => {
      await call(panel, "DELETE", `${toolsOf(panel).links}/${link.decision}?version=${link.version}`);
      return {
        message: `Withdrew the decision on ${pairName(pair.source, pair.witness)}: the machine's proposal stands.`,
        pair,
        undo: { what: `the withdrawal of the decision on ${pairName(pair.source, pair.witness)}`, pair, run: () => revertLatest(panel, "link", link.decision) },
      };
    });
  }

  // "Restore the machine's link" in the list of removed links: withdraw the removal.
  function restoreRemoved(panel, form, event) {
    event.preventDefault();
    const id = Number(form.action.match(/\/links\/(\d+)\/delete$/)[1]);
    const entry = form.closest("li.rejected");
    const what = entry.firstChild.textContent.replace(/\s+/g, " ").split(",")[0].trim();
    const pair = {
      source: (what.match(/R\d+/g) || []).map((r) => Number(r.slice(1))),
      witness: (what.match(/A\d+/g) || []).map((a) => Number(a.slice(1))),
    };
    perform(panel, async () => {
      await withdrawById(panel, id, form.querySelector("input[name=version]").value);
      return {
        message: `Restored the machine's link ${what}.`,
        pair,
        undo: { what: `the restoring of ${what}`, run: () => revertLatest(panel, "link", id) },
      };
    });
  }

  function saveNew(panel, editor, mode) {
    const chosen = Number(editor.querySelector("select[name=counterpart]").value);
    if (!chosen) {
      say("Choose the sentence to link it to first.", true);
      editor.querySelector("select[name=counterpart]").focus();
      return undefined;
    }
    const number = Number(editor.querySelector("select[name=own]").value);
    const [source, witness] = mode.side === "record" ? [[number], [chosen]] : [[chosen], [number]];
    return decide(panel, { source, witness }, "add", fields(editor));
  }

  function saveMark(panel, editor, mode) {
    const name = `${mode.side === "record" ? "R" : "A"}${mode.number}`;
    return perform(panel, async () => {
      const body = {
        account: panel.dataset.account,
        side: mode.side,
        index: mode.number,
        significant: editor.querySelector("select[name=significant]").value,
        note: editor.querySelector("textarea[name=note]").value,
      };
      if (mode.version) body.version = mode.version;
      const done = await call(panel, "POST", toolsOf(panel).marks, body);
      const focus = `a.mark-edit[data-side="${mode.side}"][data-number="${mode.number}"]`;
      return { message: `Saved the mark of ${name}.`, focus, undo: { what: `the mark of ${name}`, run: () => revertLatest(panel, done.target, done.id) } };
    });
  }

  function addTicked(panel, form, event) {
    event.preventDefault();
    const ticked = (name) => Array.from(panel.querySelectorAll(`input.pick[name=${name}]:checked`), (i) => Number(i.value));
    const source = ticked("source");
    const witness = ticked("witness");
    if (!source.length || !witness.length) {
      say("Tick at least one record sentence (R) and one account sentence (A) first.", true);
      return;
    }
    const extra = { label: form.querySelector("select[name=label]").value || null, note: form.querySelector("textarea[name=note]").value };
    decide(panel, { source, witness }, "add", extra);
  }

  // --- The page: "link…" on unlinked sentences, keys ------------------------------------------

  function linkButton(side, number) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-from";
    button.dataset.side = side;
    button.dataset.number = String(number);
    button.textContent = "link…";
    const name = `${side === "record" ? "R" : "A"}${number}`;
    button.setAttribute("aria-label", `Link ${name} to ${side === "record" ? "an account" : "a record"} sentence`);
    return button;
  }

  // The tick boxes for "Link the selected sentences" (made here: they work only with the
  // script; without it a sentence's own page links it).
  function pick(li, side, slug) {
    if (li.querySelector("input.pick")) return; // already there (a panel re-read in place)
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "pick";
    box.name = side === "record" ? "source" : "witness";
    box.value = String(Number(li.dataset.index) + 1);
    box.setAttribute("form", `${slug}-add`);
    box.setAttribute("aria-label", `Select ${side === "record" ? "R" : "A"}${box.value} for a new link`);
    li.prepend(box);
  }

  function decorate(panel) {
    const slug = panel.dataset.account;
    panel.querySelector("form.add-link").hidden = false;
    panel.querySelectorAll("ol.sentences.record li.sentence").forEach((li) => pick(li, "record", slug));
    panel.querySelectorAll("ol.sentences.account li.sentence").forEach((li) => pick(li, "account", slug));
    panel.querySelectorAll("ol.sentences.record li.sentence.omitted, ol.sentences.account li.sentence.added").forEach((li) => {
      const side = li.closest("ol.account") ? "account" : "record";
      // Right after the number: a left-out sentence is one cut-off line, so its end is hidden.
      const button = linkButton(side, Number(li.dataset.index) + 1);
      const num = li.querySelector(".num");
      if (num) num.after(button);
      else li.appendChild(button);
    });
    panel.querySelectorAll("li.gap").forEach((gap) => {
      const numbers = Array.from(gap.querySelectorAll("li.sentence"), (li) => Number(li.dataset.index) + 1);
      const button = linkButton("record", numbers[0]);
      button.dataset.numbers = numbers.join(" ");
      button.textContent = "link one of these…";
      button.setAttribute("aria-label", `Link one of R${numbers[0]}–R${numbers[numbers.length - 1]} to an account sentence`);
      gap.appendChild(button);
    });
    panel.querySelectorAll(".lists li.omitted, .lists li.added").forEach((li) => {
      const side = li.classList.contains("omitted") ? "record" : "account";
      const number = Number(li.querySelector("a").textContent.slice(1));
      li.appendChild(linkButton(side, number));
    });
  }

  function onPanelClick(panel, event) {
    const from = event.target.closest("button.link-from");
    if (from) {
      const numbers = from.dataset.numbers ? nums(from.dataset.numbers) : [Number(from.dataset.number)];
      const prefix = from.dataset.side === "record" ? "R" : "A";
      const name = numbers.length > 1 ? `one of ${prefix}${numbers[0]}–${prefix}${numbers[numbers.length - 1]}` : `${prefix}${numbers[0]}`;
      sentenceEditor(panel, from.dataset.side, numbers, `New link from ${name}`);
      panel.querySelector(".selected-link").scrollIntoView({ block: "nearest" });
      return;
    }
    const mark = event.target.closest("a.mark-edit");
    if (mark) {
      event.preventDefault();
      markEditor(panel, mark);
      panel.querySelector(".selected-link").scrollIntoView({ block: "nearest" });
    }
  }

  function selectedItem(panel) {
    return panel && panel.querySelector("ol.links > li.link.selected");
  }

  function onKey(event) {
    if (event.altKey) return;
    const typing = isTyping(event.target);
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
      if (isTextField(event.target)) return; // the text field's own undo
      event.preventDefault();
      undo();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey) return;
    const keys = { c: "confirm", x: "remove", w: "withdraw" };
    if (!keys[event.key] && event.key !== "l" && event.key !== "e") return;
    const panel = document.activeElement?.closest?.("section.panel") || lastPanel;
    if (!panel || !panel.querySelector(".curate-tools")) return;
    const item = selectedItem(panel);
    const editor = panel.querySelector(".selected-link .editor");
    // A key that cannot act says why, rather than being lost (while a change is saved,
    // or while the selected link's detail and editor are still on their way).
    if (isBusy()) {
      say(`Wait for the last change to finish, then press ${event.key} again.`, true);
      return;
    }
    if (editor && editor.mode.kind !== "link") return; // a new link's or a mark's editor is open
    if (!item || !editor) {
      say(item
        ? `The link's editor is still loading: press ${event.key} again when it shows.`
        : `Select a link first (click it, or move with the arrow keys), then press ${event.key}.`, true);
      return;
    }
    if (keys[event.key]) {
      event.preventDefault();
      const button = editor.querySelector(`[data-act=${keys[event.key]}]`);
      if (!button.hidden) act(panel, editor, keys[event.key]);
    } else if (event.key === "l" || event.key === "e") {
      event.preventDefault();
      editor.querySelector(event.key === "l" ? "select[name=label]" : "textarea[name=note]").focus();
    }
  }

  function setUp() {
    const panels = Array.from(document.querySelectorAll("section.panel")).filter((p) => p.querySelector(".curate-tools"));
    if (!panels.length) return;
    hooks.decorate = decorate;
    makeBar();
    say("Select a link to curate it: c confirm · x remove · l label · e note · Ctrl+Z undo.");
    panels.forEach((panel) => {
      panel.classList.add("curating");
      decorate(panel);
      panel.addEventListener("memcon:select", (event) => linkEditor(panel, event.detail.item));
      panel.addEventListener("click", (event) => onPanelClick(panel, event));
      panel.addEventListener("submit", (event) => {
        const form = event.target.closest("form.add-link");
        if (form) addTicked(panel, form, event);
        const restore = event.target.closest("li.rejected form");
        if (restore) restoreRemoved(panel, restore, event);
      });
      const selected = selectedItem(panel); // selected by compare.js from the address
      if (selected) linkEditor(panel, selected);
    });
    document.addEventListener("keydown", onKey);
    document.body.classList.add("curate-ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
