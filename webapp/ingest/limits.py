"""Limits on what a reader may produce, not only on what is uploaded.

A small file can hold a great deal: a 700 KB ``.docx`` can unpack to 190 MB of XML, a
PDF of a few MB can have 20,000 pages. Every reader stops as soon as it passes one of
these limits and raises :class:`TooLarge` naming the limit, so nothing huge is ever
built in memory or stored.

>>> Limits(max_chars=1_000_000).max_xml_bytes  # a Word file's XML: 4 bytes a character
4000000
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import IngestError

#: Default limit on the extracted text: twice the default upload limit, in characters.
DEFAULT_MAX_CHARS = 2 * 5 * 1024 * 1024
#: Default limit on the pages of a PDF read.
DEFAULT_MAX_PAGES = 1000
#: The longest Markdown source parsed (its parser takes some 4 microseconds a character
#: of inline markup: 1,000,000 characters are a few seconds; a longer book is read as .txt).
MAX_MARKDOWN_CHARS = 1_000_000
#: XML bytes a Word document may unpack to for each character of text allowed (markup
#: around the text is verbose, but not this verbose).
XML_BYTES_PER_CHAR = 4
#: ... but never less than this: the markup of an almost empty Word document.
MIN_XML_BYTES = 1024 * 1024


class TooLarge(IngestError):
    """A file whose content passes a limit (text, pages, unpacked size); answered with 413."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How much text and how many PDF pages one file may give."""

    max_chars: int = DEFAULT_MAX_CHARS
    max_pages: int = DEFAULT_MAX_PAGES

    @property
    def max_xml_bytes(self) -> int:
        """How many bytes of XML a Word document may unpack to."""
        return max(MIN_XML_BYTES, self.max_chars * XML_BYTES_PER_CHAR)

    def check_chars(self, count: int, name: str) -> None:
        """Raise :class:`TooLarge` if ``count`` characters pass the text limit."""
        if count > self.max_chars:
            raise TooLarge(
                f"{name}: holds more than {self.max_chars:,} characters of text, the limit "
                "(MEMCON_MAX_TEXT_CHARS); split it into smaller documents"
            )

    def check_pages(self, count: int, name: str) -> None:
        """Raise :class:`TooLarge` if a PDF of ``count`` pages passes the page limit."""
        if count > self.max_pages:
            raise TooLarge(
                f"{name}: has {count:,} pages, more than the limit of {self.max_pages:,} "
                "(MEMCON_MAX_PDF_PAGES); upload the part you need"
            )

    def check_markdown(self, count: int, name: str) -> None:
        """Raise :class:`TooLarge` for a Markdown source too long to parse in a request."""
        if count > MAX_MARKDOWN_CHARS:
            raise TooLarge(
                f"{name}: a Markdown file of more than {MAX_MARKDOWN_CHARS:,} characters is "
                "not parsed here (the limit); upload it as .txt, or split it"
            )

    def xml_too_large(self, name: str) -> TooLarge:
        """The refusal of a Word document whose XML unpacks past :attr:`max_xml_bytes`."""
        mb = self.max_xml_bytes / (1024 * 1024)
        return TooLarge(
            f"{name}: unpacks to more than {mb:,.0f} MB of XML, the limit "
            f"({XML_BYTES_PER_CHAR} bytes per character of MEMCON_MAX_TEXT_CHARS); "
            "it cannot be read here"
        )


#: The limits used when a caller gives none.
DEFAULT_LIMITS = Limits()
