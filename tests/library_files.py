"""Library files built in the tests: a hand-written PDF, a DOCX (python-docx), a zip; and a
claim's evidence from a library document, scored as the score task scores it."""

from __future__ import annotations

import io
import zipfile


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A PDF whose pages hold these lines of ASCII text (Helvetica), readable by pypdf."""
    objects: list[str] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append("<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for index, lines in enumerate(pages):
        commands = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
        for line in lines:
            commands += [f"{_pdf_string(line)} Tj", "T*"]
        commands.append("ET")
        stream = "\n".join(commands)
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[index] + 1} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    info_id = len(objects) + 1
    objects.append(f"<< /Title {_pdf_string(title)} >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_docx(paragraphs: list[str], *, page_break_after: int | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if page_break_after is not None and index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def cite_from_library(claim, document):
    """The claim's evidence from the document's current version: its best passage and stance
    (language.reading), stored as the library provider's search result."""
    from claims.services.sources import evidence_upsert
    from language.reading import read_document

    snapshot = document.versions.get().snapshot
    reading = read_document(claim.text, claim.features, snapshot.text)
    evidence, _ = evidence_upsert(
        claim=claim,
        source=document.source,
        snapshot=snapshot,
        quote=reading.passage.text,
        quote_start=reading.passage.start,
        quote_end=reading.passage.end,
        relevance=reading.passage.score,
        stance=reading.stance.label,
        reason=reading.stance.reason,
        found_via="search",
        provider="library",
    )
    return evidence
