"""TEI P5 export and import of a curated dossier, lossless: ``from_tei(to_tei(d)) == d``.

Layout (``schema/memcon-tei.rng`` is the exact subset, ``validate_tei`` checks a file):

* ``teiHeader``: ``titleStmt`` with the title and one ``respStmt`` per agent
  (``xml:id="resp-machine"``, ``resp-<name>``); ``publicationStmt`` with the dossier's id
  (``idno type="dossier"``), URL (``idno type="URI"``) and export time (``date
  type="exported"``); ``notesStmt`` with the description, the dossier's note and the engine
  settings (JSON); ``sourceDesc/listBibl`` with one ``bibl`` per document (title, author,
  date, ``idno type="version"``, kind, provenance); ``classDecl`` with the categories that
  ``@ana`` points to; ``settingDesc`` with the dossier's date; ``revisionDesc/listChange``
  with the history (``change`` with ``@n`` = id, ``@type`` = action, ``@who``, a ``date``,
  a ``label`` for the target and ``note type="before"/"after"`` holding the JSON text).
* ``text/group``: one ``text xml:id="<doc>" type="record|account"`` per document; its body
  has ``p xml:space="preserve"`` paragraphs with ``s xml:id="<doc>-s<n>"`` (n 1-based) around
  every sentence. **Text**: the string value of the ``p`` elements, concatenated, is the
  document text exactly; whitespace between sentences stays inside the paragraphs (a
  paragraph ends after a gap that holds a blank line), and whitespace outside ``p`` is
  indentation. Characters XML cannot carry (C0 controls but tab/newline/CR, U+FFFE/U+FFFF,
  lone surrogates) are ``<c type="codepoint" n="U+000C"/>``; carriage returns are written
  as ``&#13;``. Splits and joins are empty ``<anchor type="split|join" n="<k>"/>`` at their
  offsets (``n`` is the place in the tuple, so order and repeats survive).
* ``standOff``: per account ``linkGrp type="alignment" corresp="#<account>"`` of
  ``link xml:id="<link id>" target="#<record sentences> #<account sentences>"`` with
  ``@type`` = the label (spaces as hyphens) or else the machine kind (for readers only),
  ``@subtype`` = status (machine, confirmed, added), ``@resp`` = ``#resp-<name>``,
  ``@cert`` = the score (shortest exact decimal), ``@ana`` = ``#memcon-kind-<kind>``,
  ``#memcon-label-<label>`` when labelled, ``#memcon-moved`` when moved and
  ``#memcon-possible-move`` when off the order on weak evidence only. Rejected
  machine links are in ``linkGrp type="rejected"`` (``xml:id="rejected-<id>"``). A passage
  told twice has its tellings in ``linkGrp type="tellings"`` (after the others): one
  ``link type="telling" corresp="#<link id>" xml:id="telling-<link id>.<k>"`` per telling
  (k 1-based, account order), targeting the record sentences and that telling's account
  sentences, ``@resp`` the machine, ``@cert`` its score, ``@ana`` its kind and
  ``#memcon-moved`` / ``#memcon-possible-move`` when that telling is off the order. Notes on
  links are ``note type="comment" target="#<id>"``, diffs ``note type="diff"`` (JSON
  ``[[op, text], ...]``), decision times ``note type="created"`` with a ``date``. Marks are
  ``span xml:id="mark-<id>" target="#<sentence>" type="<omitted|added|linked>"
  corresp="#<account>"`` in a ``spanGrp type="marks"``, with ``@ana`` =
  ``#memcon-significant`` / ``#memcon-not-significant`` (absent: not decided); a mark's note
  is a ``note type="comment"`` pointing to the span (``span`` may not hold ``c``, notes may).
  Consecutive links of one account share a ``linkGrp``, so the dossier's
  order of links is kept. Each quotation check is a ``note type="quotation"`` pointing to
  the account sentence that quotes (``target="#<account>-s<n>"``), holding the engine's JSON
  of the check (``status`` exact, altered or not_found, ``changes`` record -> account).
* Free text elsewhere (titles, names, notes, dates, history) is element content, exact:
  ``xml:space="preserve"`` marks each one whose whitespace is more than single spaces, and
  it may hold ``c`` too; only ``idno`` values (dossier id and URL) must be XML characters.

Ids: a document or link id that is not an ASCII NCName (``[A-Za-z][A-Za-z0-9.-]*``) is
written ``_`` + the id with every other character as ``_<hex>_`` (``1993-memcon`` ->
``_1993-memcon``), which :func:`from_xml_id` reverses. Two things needing the same
``xml:id`` make the export fail with a ``ValueError``.
"""

from __future__ import annotations

from .elements import parse_tei
from .ids import (
    KIND_CATEGORY,
    LABEL_CATEGORY,
    MOVED,
    POSSIBLE_MOVE,
    RESP_MACHINE,
    SCHEMA_FILE,
    SIGNIFICANT,
    TEI_NS,
    XML_ID,
    XML_NS,
    XML_SPACE,
    from_xml_id,
    xml_id,
)
from .read import from_tei
from .validate import validate_tei
from .write import to_tei

__all__ = [
    "KIND_CATEGORY",
    "LABEL_CATEGORY",
    "MOVED",
    "POSSIBLE_MOVE",
    "RESP_MACHINE",
    "SCHEMA_FILE",
    "SIGNIFICANT",
    "TEI_NS",
    "XML_ID",
    "XML_NS",
    "XML_SPACE",
    "from_tei",
    "from_xml_id",
    "parse_tei",
    "to_tei",
    "validate_tei",
    "xml_id",
]
