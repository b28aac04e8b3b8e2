// Exercise pages: copy buttons, and the order task's moves (buttons, keys, drag and drop).
// Without scripts the order task is numbered inputs; with them the list is reordered and
// the numbers follow the list, so what is submitted is what is seen.
(function () {
  "use strict";

  function copy(button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    var text = target.value !== undefined ? target.value : target.textContent;
    var status = button.parentNode.querySelector(".copied");
    var done = function () { if (status) status.textContent = "Copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(target); });
    } else {
      select(target);
      if (status) status.textContent = "Selected: press Ctrl+C to copy.";
    }
  }

  function select(target) {
    if (target.select) { target.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(target);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function items(list) { return Array.prototype.slice.call(list.querySelectorAll(".order-item")); }

  function renumber(list) {
    items(list).forEach(function (li, k) { li.querySelector(".place input").value = String(k + 1); });
  }

  function announce(list, li) {
    var status = document.getElementById(list.dataset.status || "order-status");
    var all = items(list);
    if (status) status.textContent = "A" + li.dataset.sentence + " is now " + (all.indexOf(li) + 1) + " of " + all.length + ".";
  }

  function move(list, li, step, button) {
    var all = items(list);
    var to = all.indexOf(li) + step;
    if (to < 0 || to >= all.length) return;
    if (step < 0) list.insertBefore(li, all[to]); else list.insertBefore(all[to], li);
    renumber(list);
    announce(list, li);
    if (button) button.focus();
  }

  function button(text, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    return b;
  }

  function enhance(list) {
    list.classList.add("js-order");
    // Places typed by hand before the script ran (or kept by the browser) order the list.
    var typed = items(list).map(function (li, k) {
      var v = parseInt(li.querySelector(".place input").value, 10);
      return { li: li, key: isNaN(v) ? 1e6 + k : v * 1000 + k };
    });
    typed.sort(function (a, b) { return a.key - b.key; }).forEach(function (t) { list.appendChild(t.li); });
    items(list).forEach(function (li) {
      var n = li.dataset.sentence;
      var moves = document.createElement("span");
      moves.className = "moves";
      var up = button("↑", "Move A" + n + " up");
      var down = button("↓", "Move A" + n + " down");
      up.classList.add("up");
      down.classList.add("down");
      moves.appendChild(up);
      moves.appendChild(down);
      li.insertBefore(moves, li.firstChild);
      li.draggable = true;
      li.querySelector(".place input").addEventListener("change", function () { reorderByInput(list); });
    });
    renumber(list);
    list.addEventListener("click", function (e) {
      var b = e.target.closest(".moves button");
      if (!b) return;
      move(list, b.closest(".order-item"), b.classList.contains("up") ? -1 : 1, b);
    });
    list.addEventListener("keydown", function (e) {
      var li = e.target.closest(".order-item");
      if (!li || !e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
      e.preventDefault();
      move(list, li, e.key === "ArrowUp" ? -1 : 1, e.target);
    });
    dragAndDrop(list);
  }

  function reorderByInput(list) {
    var typed = items(list).map(function (li, k) {
      var v = parseInt(li.querySelector(".place input").value, 10);
      return { li: li, key: isNaN(v) ? 1e6 + k : v * 1000 + (k + 1) * 0.5 };
    });
    typed.sort(function (a, b) { return a.key - b.key; }).forEach(function (t) { list.appendChild(t.li); });
    renumber(list);
  }

  function dragAndDrop(list) {
    var dragged = null;
    list.addEventListener("dragstart", function (e) {
      dragged = e.target.closest(".order-item");
      if (!dragged) return;
      dragged.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.dataset.sentence);
    });
    list.addEventListener("dragover", function (e) {
      var over = e.target.closest(".order-item");
      if (!dragged || !over) return;
      e.preventDefault();
      items(list).forEach(function (li) { li.classList.toggle("drop-before", li === over && li !== dragged); });
    });
    list.addEventListener("drop", function (e) {
      var over = e.target.closest(".order-item");
      e.preventDefault();
      if (dragged && over && over !== dragged) {
        list.insertBefore(dragged, over);
        renumber(list);
        announce(list, dragged);
      }
    });
    list.addEventListener("dragend", function () {
      items(list).forEach(function (li) { li.classList.remove("drop-before", "dragging"); });
      dragged = null;
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button.copy");
    if (b) copy(b);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".order-list"), enhance);

  // A guided tour on the projector: the arrow keys press Next and Back.
  if (document.querySelector("[data-tour]")) {
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
      var which = e.key === "ArrowRight" ? ".tour-next" : e.key === "ArrowLeft" ? ".tour-back" : null;
      var b = which && document.querySelector(which);
      if (b && !b.disabled) { e.preventDefault(); b.click(); }
    });
  }
})();
