"""Uploaded files: the type is read from the content (never from the name), text is extracted
for search. Accepted: PDF, ODT, DOCX, PNG, JPEG, GIF, WebP and CSV.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from accr_graph.services.errors import Invalid, fail

ACCEPTED = "PDF, ODT, DOCX, PNG, JPEG, GIF, WebP or CSV"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEXT = 1_000_000  # characters of extracted text kept for search
MAX_XML = 50_000_000  # bytes of an office file's XML read (zip bombs stop here)
MAX_PDF_PAGES = 500
IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    media_type: str
    extension: str


def _image(head: bytes) -> str | None:
    for magic, media in IMAGES:
        if head.startswith(magic):
            return media
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def _csv(data: bytes) -> bool:
    try:
        text = data[:65536].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text or not text.strip():
        return False
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines[:-1] or lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2


def sniff(data: bytes) -> Sniffed:
    """The file's type from its bytes; anything else is refused with a clear message."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "pdf")
    image = _image(head)
    if image:
        return Sniffed(image, image.split("/")[1].replace("jpeg", "jpg"))
    if head.startswith(b"PK\x03\x04"):
        office = _office(data)
        if office:
            return Sniffed(office, "odt" if office == ODT else "docx")
    elif _csv(data):
        return Sniffed("text/csv", "csv")
    raise fail(Invalid("file", f"this type of file is not accepted; upload a {ACCEPTED} file"))


# --- text for search ------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        parts = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise fail(Invalid("file", "the PDF could not be read (damaged or encrypted?)")) from None
    return "\n".join(parts)


def _xml_text(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        xml = stream.read(MAX_XML)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise fail(Invalid("file", "the document could not be read (damaged?)")) from None
    return " ".join(t for t in root.itertext() if t.strip())


def extract_text(data: bytes, media_type: str) -> str:
    """Plain text of a document for the search index ("" for images)."""
    if media_type == "application/pdf":
        text = _pdf_text(data)
    elif media_type == ODT:
        text = _xml_text(data, "content.xml")
    elif media_type == DOCX:
        text = _xml_text(data, "word/document.xml")
    elif media_type == "text/csv":
        text = data.decode("utf-8-sig", errors="replace")
    else:
        return ""
    return re.sub(r"\s+", " ", text.replace("\x00", " ")).strip()[:MAX_TEXT]
