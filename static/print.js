// memcon print: the footer of every printed page (the dossier, the record, the page's
// address and the day of printing) and the date in the alignment's head. The footer is a
// CSS @page margin box, set through a constructed stylesheet (no inline style: CSP).
"use strict";

(function () {
  // Loaded by every page (base.html): it does nothing where nothing is printed specially.
  if (window.memconPrint) return;
  window.memconPrint = true;

  function cssString(text) {
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ") + '"';
  }

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

  // A long comparison's alignment is not in the page: fetch it now, before the browser
  // lays the page out for print (a synchronous request: printing waits for nothing else).
  function fetchLater() {
    document.querySelectorAll(".print-later[data-src]").forEach((holder) => {
      const request = new XMLHttpRequest();
      try {
        request.open("GET", holder.dataset.src, false);
        request.send();
      } catch (error) {
        return; // the placeholder says where the printable page is
      }
      if (request.status === 200) holder.outerHTML = request.responseText;
    });
  }

  function update() {
    const doc = document.querySelector(".print-doc[data-citation]");
    if (!doc) return;
    const date = today();
    const address = new URL(window.location.href);
    address.searchParams.delete("share"); // paper travels further than a share link
    const citation = `${doc.dataset.citation} · ${address.href} · printed ${date}`;
    sheet.replaceSync(
      "@page { @bottom-left { content: " + cssString(citation) +
        "; font: 7pt Arial, 'Liberation Sans', sans-serif; width: 75%; text-align: left; vertical-align: top; } }"
    );
    document.querySelectorAll(".print-date-line").forEach((line) => {
      line.textContent = line.textContent.replace(/printed \d{4}-\d{2}-\d{2}$/, "printed " + date);
    });
  }

  update();
  window.addEventListener("beforeprint", () => {
    fetchLater();
    update();
  });
})();
