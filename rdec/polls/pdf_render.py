"""A long report's PDF rendered on the machine's cores: WeasyPrint lays out one document on one core
(a 100-question poll report — 400 crosstabs, ≈ 140 pages — is minutes of single-core work on a busy
machine), so the report is cut into parts at section boundaries, each part is rendered in its own
process (this one renders the first), and the parts' pages are joined with PDFium (pypdfium2) and
numbered "n / N" at the foot of each page, as the single-document PDF numbers them with CSS.

The other parts are rendered by fresh interpreters (`python -c`, WeasyPrint only: no Django, no fork of
a threaded web process, no re-import of the caller's main module) from an HTML file to a PDF file in a
temporary directory."""

from __future__ import annotations

import ctypes
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = (
    "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1], encoding='utf-8').write_pdf(sys.argv[2])"
)


def render(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def render_parts(parts: list[str], *, workers: int | None = None, timeout: float = 600) -> bytes:
    """The parts rendered at once (this process renders the first; at most `workers` processes in all,
    default the CPU count) and joined, with page numbers stamped."""
    workers = max(1, min(len(parts), workers or os.cpu_count() or 1))
    if workers == 1:
        return join_and_number([render(html) for html in parts])
    with tempfile.TemporaryDirectory(prefix="rdec-pdf-") as tmp:
        children = []
        for i, html in enumerate(parts[1:workers], start=1):
            source, target = Path(tmp, f"part{i}.html"), Path(tmp, f"part{i}.pdf")
            source.write_text(html, encoding="utf-8")
            command = [sys.executable, "-c", CHILD, str(source), str(target)]
            children.append((subprocess.Popen(command), target))  # noqa: S603 - our own interpreter and files
        pdfs = [render(parts[0]), *(render(html) for html in parts[workers:])]
        done = []
        for process, target in children:
            if process.wait(timeout=timeout) != 0:
                raise RuntimeError(f"rendering a part of the PDF failed (exit {process.returncode})")
            done.append(target.read_bytes())
    return join_and_number([pdfs[0], *done, *pdfs[1:]])


def join_and_number(pdfs: list[bytes], *, font_size: float = 9.0, bottom: float = 22.0) -> bytes:
    """The documents' pages in order, each with "n / N" centred at its foot (Helvetica, a standard PDF
    font: the numbers need no embedded font)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(data) for data in pdfs]
    try:
        for source in sources:
            out.import_pages(source)
        total = len(out)
        font = raw.FPDFText_LoadStandardFont(out.raw, b"Helvetica")
        for index in range(total):
            page = out[index]
            text = f"{index + 1} / {total}"
            obj = raw.FPDFPageObj_CreateTextObj(out.raw, font, ctypes.c_float(font_size))
            encoded = (text + "\x00").encode("utf-16-le")
            buffer = ctypes.create_string_buffer(encoded, len(encoded))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, raw.FPDF_WIDESTRING))
            width, _height = page.get_size()
            # Helvetica's digits are 0.556 em wide; " / " about 0.83 em
            text_width = font_size * (0.556 * sum(c.isdigit() for c in text) + 0.83)
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, (width - text_width) / 2, bottom)
            raw.FPDFPage_InsertObject(page.raw, obj)
            raw.FPDFPage_GenerateContent(page.raw)
            page.close()
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()
        out.close()
