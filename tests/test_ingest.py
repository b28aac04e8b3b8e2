"""Readers for uploads (PDF, Word, TEI, text) and the clean-up of scanned memcons.

Every file here is made for real by the library that writes that format: fpdf2 and pypdf for
PDFs, python-docx for Word files, zipfile for archives that are not Word. Every refusal is
checked for the two things an archivist needs: the file's name and the reason.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from webapp.ingest import (
    ACCEPTED_TYPES,
    Cleanup,
    IngestError,
    clean_scan,
    read_upload,
)
from webapp.ingest.docx import read_docx
from webapp.ingest.pdf import read_pdf
from webapp.ingest.tei import read_tei

# --------------------------------------------------------------------------- builders


def make_pdf(*pages: str) -> bytes:
    """A PDF with a real text layer: one page per argument, lines split at ``\\n``."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text=text)
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """The same PDF, encrypted with pypdf (RC4, which needs no extra package)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A PDF whose only page has no text layer, as a scan without OCR would be."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def save_docx(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_docx() -> bytes:
    """A memoir chapter: heading, paragraphs (one empty, one with a line break), a table."""
    document = docx.Document()
    document.add_heading("Chapter 7: Moscow", level=1)
    document.add_paragraph("We met the Chairman at ten.")
    document.add_paragraph("")
    broken = document.add_paragraph("He spoke first")
    broken.add_run().add_break()
    broken.add_run("and at length.")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(
        table.rows, [("Participant", "Role"), ("Brezhnev", "Chairman")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Nothing was agreed.")
    return save_docx(document)


def make_zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refused(read: object, *args: object) -> str:
    """Call a reader that must refuse; return its message."""
    with pytest.raises(IngestError) as info:
        read(*args)  # type: ignore[operator]
    return str(info.value)


# --------------------------------------------------------------------------- PDF


def test_pdf_pages_are_read_in_order_with_a_blank_line_between() -> None:
    data = make_pdf("First page line one.\nLine two of page one.", "Second page.")
    assert read_pdf(data, "memcon.pdf") == (
        "First page line one.\nLine two of page one.\n\nSecond page.\n"
    )


def test_pdf_sentences_drawn_side_by_side_come_back_one_by_one() -> None:
    # Each sentence drawn where the last one ends, as justified or typeset text often is:
    # the text layer holds no space between them ("ended.Yeltsin").
    from webapp.collate import Document

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    x = 10.0
    sentences = ["The talks ended in October 1993.", "Yeltsin left early.", "Christopher stayed."]
    for sentence in sentences:
        width = pdf.get_string_width(sentence)
        pdf.set_xy(x, 20)
        pdf.cell(width, 8, text=sentence)
        x += width
    text = read_pdf(bytes(pdf.output()), "memcon.pdf")
    assert text == "".join(sentences) + "\n"
    assert [s.text for s in Document.from_text("memcon", text).sentences] == sentences


def test_pdf_pages_without_text_are_left_out() -> None:
    with_text = PdfReader(io.BytesIO(make_pdf("Only this page has text.")))
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_page(with_text.pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert read_pdf(out.getvalue(), "mixed.pdf") == "Only this page has text.\n"


@pytest.mark.parametrize("password", ["secret", ""])
def test_pdf_encrypted_is_refused_even_with_an_empty_password(password: str) -> None:
    data = encrypt_pdf(make_pdf("Classified contents."), password)
    message = refused(read_pdf, data, "locked.pdf")
    assert message == "locked.pdf: is encrypted; remove the password and upload it again"


def test_pdf_without_text_layer_is_refused() -> None:
    message = refused(read_pdf, blank_pdf(), "scan.pdf")
    assert message == "scan.pdf: has no text layer (a scanned image?); run OCR on it first"


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_pdf_damaged_is_refused(keep: float) -> None:
    data = make_pdf("Some text that will be cut off.")
    message = refused(read_pdf, data[: int(len(data) * keep)], "cut.pdf")
    assert message.startswith("cut.pdf: is not a readable PDF (damaged or incomplete: ")
    assert "\n" not in message


def test_pdf_that_is_not_a_pdf_is_refused() -> None:
    message = refused(read_pdf, b"Just some text.", "notes.pdf")
    assert message == "notes.pdf: is not a PDF (it does not start with %PDF-)"


def test_pdf_empty_is_refused() -> None:
    assert refused(read_pdf, b"", "empty.pdf") == "empty.pdf: the file is empty"


# --------------------------------------------------------------------------- Word


def test_docx_paragraphs_and_table_cells_in_document_order() -> None:
    assert read_docx(make_docx(), "chapter.docx") == (
        "Chapter 7: Moscow\n\n"
        "We met the Chairman at ten.\n\n"
        "He spoke first\nand at length.\n\n"
        "Participant\n\nRole\n\nBrezhnev\n\nChairman\n\n"
        "Nothing was agreed.\n"
    )


def test_docx_keeps_tracked_insertions_and_drops_tracked_deletions() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("The talks were ")
    deletion = OxmlElement("w:del")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "not "
    deleted_run.append(deleted_text)
    deletion.append(deleted_run)
    insertion = OxmlElement("w:ins")
    inserted_run = OxmlElement("w:r")
    inserted_text = OxmlElement("w:t")
    inserted_text.text = "useful."
    inserted_run.append(inserted_text)
    insertion.append(inserted_run)
    paragraph._p.append(deletion)
    paragraph._p.append(insertion)
    assert read_docx(save_docx(document), "tracked.docx") == "The talks were useful.\n"


def test_docx_merged_cells_are_read_once_and_nested_tables_in_order() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Across both columns"
    table.cell(1, 0).text = "Left"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Inner"
    assert read_docx(save_docx(document), "merged.docx") == (
        "Across both columns\n\nLeft\n\nInner\n"
    )


def test_docx_that_is_not_a_zip_is_refused() -> None:
    message = refused(read_docx, b"\xd0\xcf\x11\xe0 old binary Word", "old.docx")
    assert message == (
        "old.docx: is not a Word .docx file (it is not a zip archive; "
        "an old .doc file must be saved as .docx first)"
    )


def test_docx_zip_that_is_not_word_is_refused() -> None:
    message = refused(read_docx, make_zip({"notes.txt": "hello"}), "archive.docx")
    assert message == (
        "archive.docx: is a zip archive but not a Word document (it has no word/document.xml)"
    )


def test_docx_other_office_file_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(make_docx())) as source:
        files = {name: source.read(name).decode("utf-8", "replace") for name in source.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        "wordprocessingml.document.main", "spreadsheetml.sheet.main"
    )
    message = refused(read_docx, make_zip(files), "budget.docx")
    assert message.startswith("budget.docx: is not a Word document (it holds ")
    assert "spreadsheetml" in message


def test_docx_damaged_is_refused() -> None:
    message = refused(read_docx, make_docx()[:2000], "cut.docx")
    assert message.startswith("cut.docx: is not a Word .docx file (it is not a zip archive")


def test_docx_without_text_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    message = refused(read_docx, save_docx(document), "blank.docx")
    assert message == "blank.docx: the Word document has no text"


# --------------------------------------------------------------------------- TEI

TEI_MEMCON = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Memcon</title></titleStmt></fileDesc></teiHeader>
  <text>
    <front><p>Front matter is not read.</p></front>
    <body>
      <fw type="header">CONFIDENTIAL</fw>
      <div type="memcon">
        <head>Memorandum of Conversation</head>
        <p>The President said that the enlarge<lb break="no"/>ment of the
           alliance<note place="foot">See the annex.</note> was not
           <choice><sic>directd</sic><corr>directed</corr></choice> against anyone.</p>
        <pb n="2"/>
        <fw type="header">CONFIDENTIAL</fw>
        <p>Chairman <choice><abbr>Brezh.</abbr><expan>Brezhnev</expan></choice>
           replied <del>not</del> at<lb/>length, <hi rend="italic">in</hi> Russian.</p>
        <list><item>First point.</item><item>Second point.</item></list>
        <sp><speaker>Kissinger:</speaker><p>We agree.</p></sp>
        <quote>A quoted block.</quote>
        <p>Wrote <choice><orig>shewed</orig><reg>showed</reg></choice> the <sic>recieved</sic>
           text.</p>
      </div>
    </body>
    <back><p>Back matter is not read.</p></back>
  </text>
</TEI>
"""


def test_tei_namespaced_body_paragraphs() -> None:
    assert read_tei(TEI_MEMCON, "memcon.xml") == (
        "Memorandum of Conversation\n\n"
        "The President said that the enlargement of the alliance was not directed "
        "against anyone.\n\n"
        "Chairman Brezhnev replied at length, in Russian.\n\n"
        "First point.\n\nSecond point.\n\n"
        "Kissinger:\n\nWe agree.\n\n"
        "A quoted block.\n\n"
        "Wrote showed the recieved text.\n"
    )


def test_tei_without_namespace() -> None:
    data = (
        b"<TEI><text><body><div><p>Hello <hi>world</hi>.</p>"
        b"<ab>Second <sic>blok</sic><corr>block</corr>.</ab>"
        b"<lg><l>Line one,</l><l>line two.</l></lg></div></body></text></TEI>"
    )
    assert read_tei(data, "plain.tei") == (
        "Hello world.\n\nSecond block.\n\nLine one,\n\nline two.\n"
    )


def test_tei_inline_quote_stays_in_its_paragraph_and_loose_text_is_read() -> None:
    data = (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div>'
        b"Loose text <hi>here</hi>.<p>He said <quote>never</quote> twice.</p>"
        b"</div></body></text></TEI>"
    )
    assert read_tei(data, "loose.xml") == "Loose text here.\n\nHe said never twice.\n"


def test_tei_external_entity_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<TEI><text><body><p>&x;</p></body></text></TEI>"
    )
    message = refused(read_tei, data, "xxe.xml")
    assert message.startswith("xxe.xml: declares entities in its DOCTYPE, which is refused")
    assert "root:" not in message


def test_tei_entity_expansion_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;">]><TEI><text><body><p>&c;</p></body></text></TEI>'
    )
    message = refused(read_tei, data, "laughs.xml")
    assert message.startswith("laughs.xml: declares entities in its DOCTYPE")


def test_tei_malformed_names_the_line() -> None:
    data = b"<TEI>\n<text>\n<body><p>Unclosed</body>\n</text></TEI>"
    message = refused(read_tei, data, "broken.xml")
    assert message.startswith("broken.xml: is not well-formed XML (line 3: ")


def test_tei_other_xml_is_refused() -> None:
    message = refused(read_tei, b"<html><body><p>Hi</p></body></html>", "page.xml")
    assert message == "page.xml: is not a TEI document (its root element is <html>, not <TEI>)"


def test_tei_in_another_namespace_is_refused() -> None:
    message = refused(read_tei, b'<TEI xmlns="urn:other"><text/></TEI>', "odd.xml")
    assert message == (
        "odd.xml: is not a TEI document (its root element is <TEI> in namespace urn:other, "
        "not <TEI>)"
    )


def test_tei_without_body_is_refused() -> None:
    message = refused(read_tei, b"<TEI><teiHeader/></TEI>", "header.xml")
    assert message == "header.xml: is TEI but has no <text><body> to read"


def test_tei_empty_body_is_refused() -> None:
    data = b"<TEI><text><body><p> </p><note>Only a note.</note></body></text></TEI>"
    assert refused(read_tei, data, "hollow.xml") == "hollow.xml: the TEI body has no text"


# --------------------------------------------------------------------------- clean-up

SCANNED_MEMCON = (
    "DECLASSIFIED Authority NND 959037\n"
    "CONFIDENTIAL\n"
    "\n"
    "MEMORANDUM OF CONVERSATION\n"
    "\n"
    "PARTICIPANTS:   The President\n"
    "                Chairman Brezhnev\n"
    "\n"
    "The President said that the enlarge-\n"
    "ment of the   alliance was not directed\n"
    "against anyone.  \n"
    "\n"
    "CONFIDENTIAL\n"
    "Page 1\n"
    "CONFIDENTIAL\n"
    "Chairman Brezhnev replied that the Soviet-\n"
    "American talks had made con-\n"
    "siderable progress, but that much remained\n"
    "to be done.\n"
    "CONFIDENTIAL\n"
    "Page 2\n"
    "CONFIDENTIAL\n"
    "The President agreed. The meeting ended at\n"
    "4:10 p.m.\n"
    "\n"
    "\n"
    "\n"
    "CONFIDENTIAL\n"
    "Page 3\n"
)

CLEANED_MEMCON = (
    "MEMORANDUM OF CONVERSATION\n"
    "\n"
    "PARTICIPANTS: The President\n"
    "Chairman Brezhnev\n"
    "\n"
    "The President said that the enlargement\n"
    "of the alliance was not directed\n"
    "against anyone.\n"
    "Chairman Brezhnev replied that the Soviet-\n"
    "American talks had made considerable\n"
    "progress, but that much remained\n"
    "to be done.\n"
    "The President agreed. The meeting ended at\n"
    "4:10 p.m.\n"
)

EXPECTED_CHANGES = (
    "dropped 6 repeated page headers or footers: 'CONFIDENTIAL'",
    "dropped 3 page-number lines",
    "dropped 1 classification stamp or declassification marking: "
    "'DECLASSIFIED Authority NND 959037'",
    "joined 2 words hyphenated across line breaks",
    "normalised white space",
)


def test_clean_scan_three_page_memcon() -> None:
    result = clean_scan(SCANNED_MEMCON)
    assert result == Cleanup(text=CLEANED_MEMCON, changes=EXPECTED_CHANGES)


def test_clean_scan_three_page_memcon_with_form_feeds() -> None:
    with_feeds = SCANNED_MEMCON.replace("Page 1\n", "Page 1\n\f").replace("Page 2\n", "Page 2\n\f")
    assert with_feeds.count("\f") == 2
    result = clean_scan(with_feeds)
    assert result.text == CLEANED_MEMCON
    assert result.changes == EXPECTED_CHANGES


def test_clean_scan_is_frozen_and_idempotent() -> None:
    result = clean_scan(SCANNED_MEMCON)
    with pytest.raises(AttributeError):
        result.text = ""  # type: ignore[misc]
    again = clean_scan(result.text)
    assert again == Cleanup(text=CLEANED_MEMCON, changes=())


def test_clean_scan_leaves_clean_text_alone() -> None:
    text = "The talks were long-\nTerm in outlook.\n\nSecret talks (C) followed.\n"
    assert clean_scan(text) == Cleanup(text=text, changes=())


def test_clean_scan_never_drops_body_lines_that_resemble_furniture() -> None:
    text = (
        "Authority for the talks rests with the Secretary.\n"
        "The SECRET protocol was not discussed.\n"
        "Declassified documents were not mentioned.\n"
        "CONFIDENTIAL SOURCES SAY THE TALKS FAILED.\n"
    )
    assert clean_scan(text) == Cleanup(text=text, changes=())


@pytest.mark.parametrize(
    "stamp",
    [
        "SECRET",
        "TOP SECRET",
        "CONFIDENTIAL",
        "UNCLASSIFIED",
        "SECRET/NODIS",
        "CONFIDENTIAL//NOFORN",
        "SECRET/SENSITIVE/EYES ONLY",
        "TOP SECRET - XGDS-3",
        "DECLASSIFIED",
        "Authority NND 12345",
        "By NARA Date 3/4/2016",
        "E.O. 13526",
        "CLINTON LIBRARY PHOTOCOPY",
        "Declassified/Released on 3/4/2016 under provisions of E.O. 12958",
    ],
)
def test_clean_scan_drops_classification_stamps(stamp: str) -> None:
    result = clean_scan(f"The talks began.\n{stamp}\nThey ended.\n")
    assert result.text == "The talks began.\nThey ended.\n"
    quoted = stamp if len(stamp) <= 50 else stamp[:47] + "..."  # long lines are shortened
    assert result.changes == (
        f"dropped 1 classification stamp or declassification marking: '{quoted}'",
    )


@pytest.mark.parametrize("number", ["3", "- 3 -", "-3-", "Page 3", "page 3 of 7", "[3]"])
def test_clean_scan_drops_lone_page_numbers(number: str) -> None:
    result = clean_scan(f"The talks began\n{number}\nand ended.\n")
    assert result == Cleanup(
        text="The talks began\nand ended.\n", changes=("dropped 1 page-number line",)
    )


def test_clean_scan_running_header_with_page_numbers_in_it() -> None:
    bodies = ["The talks began.", "Lunch was served.", "The toasts were long.", "We left."]
    text = "\f".join(f"Memcon, Moscow, {n}\n{body}\n" for n, body in enumerate(bodies, 1))
    result = clean_scan(text)
    assert result.text == "\n".join(bodies) + "\n"
    assert result.changes[0].startswith(
        "dropped 4 repeated page headers or footers: 'Memcon, Moscow, 1', 'Memcon, Moscow, 2'"
    )


def test_clean_scan_a_line_on_one_of_four_pages_is_not_a_header() -> None:
    text = "Opening\nBody one.\n\fBody two.\n\fBody three.\n\fBody four.\n"
    result = clean_scan(text)
    assert result.text == "Opening\nBody one.\nBody two.\nBody three.\nBody four.\n"
    assert result.changes == ()


# --------------------------------------------------------------------------- uploads


def test_accepted_types() -> None:
    assert ACCEPTED_TYPES == (".txt", ".md", ".markdown", ".pdf", ".docx", ".xml", ".tei")


@pytest.mark.parametrize(
    ("filename", "data", "text"),
    [
        ("notes.txt", b"\xef\xbb\xbfOne.\r\nTwo.", "One.\nTwo."),
        ("NOTES.MD", b"# Title\n\nThe *President* said.", "Title\n\nThe President said.\n"),
        ("notes.markdown", b"Plain **bold**.", "Plain bold.\n"),
        ("memcon.PDF", make_pdf("From a PDF."), "From a PDF.\n"),
        ("chapter.docx", make_docx(), read_docx(make_docx(), "x")),
        ("memcon.xml", TEI_MEMCON, read_tei(TEI_MEMCON, "x")),
        ("memcon.Tei", b"<TEI><text><body><p>TEI.</p></body></text></TEI>", "TEI.\n"),
    ],
)
def test_read_upload_dispatches_on_the_extension(filename: str, data: bytes, text: str) -> None:
    assert read_upload(filename, data) == text


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("letter.rtf", ".rtf files cannot be read"),
        ("letter.doc", "old Word .doc files cannot be read; save it as .docx"),
        ("README", "has no extension, so its type is unknown"),
        (".txt", "has no extension, so its type is unknown"),
    ],
)
def test_read_upload_refuses_unknown_types_and_lists_the_accepted(
    filename: str, reason: str
) -> None:
    message = refused(read_upload, filename, b"Some text.")
    assert message == (
        f"{filename}: {reason} (accepted: .txt, .md, .markdown, .pdf, .docx, .xml, .tei)"
    )


@pytest.mark.parametrize("filename", ["memcon.txt", "memcon.md"])
def test_read_upload_refuses_a_pdf_named_as_text(filename: str) -> None:
    message = refused(read_upload, filename, make_pdf("Hidden."))
    assert message == f"{filename}: looks like a PDF file, not text; upload it as .pdf"


def test_read_upload_refuses_a_word_file_named_as_text() -> None:
    message = refused(read_upload, "chapter.txt", make_docx())
    assert message == (
        "chapter.txt: looks like a Word file (a zip archive), not text; upload it as .docx"
    )


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"MEMORANDUM OF CONVERSATION", "; it looks like a text file"),
        (make_zip({"a.txt": "a"}), "; it looks like a Word file or other zip archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ""),
    ],
)
def test_read_upload_refuses_a_pdf_that_is_not_one(data: bytes, looks_like: str) -> None:
    message = refused(read_upload, "memcon.pdf", data)
    assert message == f"memcon.pdf: is not a PDF (it does not start with %PDF-){looks_like}"


@pytest.mark.parametrize("filename", ACCEPTED_TYPES)
def test_read_upload_refuses_empty_files_of_every_type(filename: str) -> None:
    name = f"empty{filename}"
    message = refused(read_upload, name, b"")
    assert message.startswith(f"{name}: ")
    assert "empty" in message


def test_read_upload_errors_from_the_readers_name_the_upload() -> None:
    message = refused(read_upload, "scan.pdf", blank_pdf())
    assert message == "scan.pdf: has no text layer (a scanned image?); run OCR on it first"
