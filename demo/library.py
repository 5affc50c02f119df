"""Builds the fictional demo library: renders each text as its file type and ingests it."""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import docx
from fpdf import FPDF

from core.db import Store
from demo.library_texts import DOCUMENTS
from demo.plans import SYSTEM
from indexing import emerging
from indexing.library import Library
from recommendations import theming

DEMO_CSP = "Northvale Community Safety Partnership (fictional)"
FICTIONAL = "Fictional document written for the DHR Learning Repository demo."
Sections = list[tuple[str, list[str]]]


def render_docx(title: str, sections: Sections) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=0)
    document.add_paragraph().add_run(FICTIONAL).italic = True
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(title: str, sections: Sections) -> bytes:
    pdf = FPDF()
    pdf.set_margins(22, 20)
    pdf.add_page()

    def write(style: str, size: int, height: int, text: str) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    write("B", 16, 8, title)
    write("I", 9, 6, FICTIONAL)
    for heading, paragraphs in sections:
        pdf.ln(3)
        write("B", 12, 7, heading)
        for paragraph in paragraphs:
            write("", 11, 6, paragraph)
            pdf.ln(2)
    return bytes(pdf.output())


def render_markdown(title: str, sections: Sections) -> bytes:
    parts = [f"# {title}", f"*{FICTIONAL}*"]
    for heading, paragraphs in sections:
        parts += [f"## {heading}", *paragraphs]
    return "\n\n".join(parts).encode()


def render_html(title: str, sections: Sections) -> bytes:
    body = [f"<h1>{html.escape(title)}</h1>", f"<p><em>{FICTIONAL}</em></p>"]
    for heading, paragraphs in sections:
        body.append(f"<h2>{html.escape(heading)}</h2>")
        body += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    page = f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>{''.join(body)}</body></html>"
    return page.encode()


def render_text(title: str, sections: Sections) -> bytes:
    parts = [title, FICTIONAL]
    for heading, paragraphs in sections:
        parts += [heading, *paragraphs]
    return "\n\n".join(parts).encode()


RENDERERS: dict[str, Callable[[str, Sections], bytes]] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "md": render_markdown,
    "html": render_html,
    "txt": render_text,
}


def build_demo_library(store: Store, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Ingest every demo document (idempotent: unchanged ones are skipped). Returns how many."""
    library = Library(store)
    for done, entry in enumerate(DOCUMENTS, start=1):
        data = RENDERERS[entry["file"].rsplit(".", 1)[1]](entry["title"], entry["sections"])
        library.ingest(
            data,
            entry["file"],
            viewer=SYSTEM,
            title=entry["title"],
            kind=entry["kind"],
            access=entry["access"],
            year=entry["year"],
            csp=DEMO_CSP if entry.get("review") else "",  # the briefs linked to no review are other partnerships'
            review=entry.get("review"),
        )
        if progress:
            progress(done, len(DOCUMENTS), entry["title"])
    emerging.compute(library, SYSTEM)
    theming.refresh(store, library, SYSTEM)
    with store.write("system:demo") as tx:
        if not is_demo_library_built(store):
            tx.insert("settings", {"key": "demo_library", "value": "1"})
    return len(DOCUMENTS)


def is_demo_library_built(store: Store) -> bool:
    return bool(store.read()["settings"].count_where("key = 'demo_library'"))
