"""Nothing a file can do takes the app down (#20): each kind of hostile file the reliability probe
sent is refused in words, or read within bounds, and leaves nothing half-written. The files come
from tests/hostile_files.py, made afresh; tests/fuzz.py sends many more of them under the limits."""

from __future__ import annotations

import base64
import io
import json
import random
import sqlite3

import docx
import openpyxl
import pytest
from PIL import Image

from core import backup, workspace
from core.errors import ValidationError
from core.jsonfile import read_json
from core.schema import open_store
from core.tables import MAX_GRID_COLUMNS, read_grid
from exports import builders
from indexing.chunking import MAX_PASSAGES, chunk
from indexing.extract import ExtractionError, extract
from indexing.library import Library
from indexing.themes import MAX_THEMES, add_themes, list_themes
from recommendations import plan, spreadsheet, theming
from reviews import register, rules, transfer
from tests import hostile_files as hostile
from tests.conftest import COORD, TODAY, run
from tests.indexing_helpers import words


@pytest.fixture
def rng():
    return random.Random(20)


def _overview(store, viewer, reference: str) -> bytes:
    return builders.review_document(store, viewer, reference, "overview-report", TODAY)


# ---- text that inflates is refused while it is read, before the tokenizer sees it


def test_a_small_pdf_that_inflates_to_tens_of_megabytes_is_refused(rng):
    data = hostile.pdf_text_bomb(rng)
    assert len(data) < 200_000
    with pytest.raises(ExtractionError, match="compression bomb"):
        extract(data, "bomb.pdf")


def test_a_docx_of_200000_paragraphs_is_refused_with_what_to_do(rng):
    with pytest.raises(ExtractionError, match="split it into parts"):
        extract(hostile.docx_many_paragraphs(rng), "many.docx")


def test_megabytes_of_text_on_one_line_are_refused():
    with pytest.raises(ExtractionError, match="more than 6 million characters"):
        extract(b"word " * 1_600_000, "one-line.txt")


def test_a_file_of_hashes_is_refused_while_it_is_cut_not_after():
    """2 MB of "#" is two million word pieces: the passage cap stops the tokenizing early."""
    with pytest.raises(ExtractionError, match=f"more than {MAX_PASSAGES:,} passages"):
        chunk(extract(b"#" * 2_000_000, "hashes.md"))


def test_a_long_run_without_spaces_makes_passages_of_bounded_size():
    passages = chunk(extract(("x" * 5000 + " risk learning ").encode() * 20, "runs.txt"))
    assert passages and max(len(p.text) for p in passages) < 25_000


# ---- markup is read by a recovering parser


@pytest.mark.parametrize(
    "make, expected",
    [
        (hostile.html_unclosed_comment, "risk learning for the review panel"),
        (hostile.html_marked_section, "risk learning agency panel"),
    ],
)
def test_junk_markup_is_read_not_a_crash(rng, make, expected):
    extracted = extract(make(rng), "page.html")
    assert expected in extracted.text
    assert "never closed" not in extracted.text


def test_megabytes_of_unclosed_attributes_are_refused_in_words(rng):
    with pytest.raises(ExtractionError, match="no readable text"):
        extract(hostile.html_junk_attributes(rng), "junk.html")


def test_web_pages_keep_headings_and_leave_out_scripts():
    page = b"<html><head><title>T</title><script>var x = 1;</script></head><body><h2>Findings</h2>"
    page += b"<p>" + words("risk", 40).encode() + b"<b>bold</b> tail</p><nav>menu</nav></body></html>"
    extracted = extract(page, "page.html")
    assert [h for _, h in extracted.headings] == ["Findings"]
    assert "bold tail" in extracted.text and "var x" not in extracted.text and "menu" not in extracted.text


def test_a_folder_ingest_records_each_hostile_file_in_words(store, coordinator, embedder, tmp_path, rng):
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "brief.md").write_text("# Brief\n\n" + words("risk", 80))
    (folder / "marked.html").write_bytes(b"<p>x</p><![foo[")
    (folder / "bomb.pdf").write_bytes(hostile.pdf_text_bomb(rng))
    results = {r.source_name: r for r in Library(store, embedder).ingest_paths([folder], viewer=coordinator)}
    assert results["uploads/brief.md"].outcome == "ingested"
    marked, bomb = results["uploads/marked.html"], results["uploads/bomb.pdf"]
    assert marked.outcome == "failed" and "no readable text" in marked.reason
    assert bomb.outcome == "failed" and "compression bomb" in bomb.reason
    failed = {r["source_name"]: r["error"] for r in store.read()["documents"].rows_where("status = 'failed'")}
    assert set(failed) == {"uploads/marked.html", "uploads/bomb.pdf"} and all(failed.values())


# ---- Word tables are read in one pass


def test_a_table_merged_down_5000_rows_is_read_with_the_merged_text(rng):
    grid = read_grid(hostile.docx_merged_rows(rng), "plan.docx")
    assert len(grid) > 5000
    assert grid[0] == hostile.PLAN_HEADER
    assert grid[1] == ["1", "Train staff", "a0", "Police", "March 2027"]
    assert grid[4000] == ["1", "Train staff", "a3999", "Police", "March 2027"]


def test_a_cell_spanning_two_billion_columns_is_bounded(rng):
    grid = read_grid(hostile.docx_wide_span(random.Random(1)), "plan.docx")
    assert all(len(row) <= MAX_GRID_COLUMNS for row in grid)


def test_a_cell_spanning_columns_repeats_across_them():
    body = "<w:tbl><w:tr>" + "".join(hostile._tc(h) for h in ("A", "B", "C")) + "</w:tr>"
    body += "<w:tr>" + hostile._tc("wide", '<w:gridSpan w:val="2"/>') + hostile._tc("c") + "</w:tr></w:tbl>"
    assert read_grid(hostile.docx_body(body), "t.docx")[1] == ["wide", "wide", "c"]


# ---- logos are stored as the PNG Word will hold


@pytest.mark.parametrize("make", [hostile.cmyk_jpeg, hostile.png_one_pixel_per_metre, hostile.png_bad_end_checksum])
def test_a_logo_word_would_refuse_is_stored_as_an_rgb_png(store, coordinator, new_review, rng, make):
    workspace.set_logo(store, COORD, make(rng))
    stored = workspace.load(store.read()).logo
    with Image.open(io.BytesIO(stored)) as image:
        image.verify()  # the PNG's checksums hold
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.mode) == ("PNG", "RGB")
        assert round(image.info["dpi"][0]) == 96
    reference = new_review("DHR-2026-10")
    document = docx.Document(io.BytesIO(_overview(store, coordinator, reference)))
    assert len(document.inline_shapes) == 1


def test_a_stored_logo_word_refuses_is_made_a_png_when_the_workspace_opens(tmp_path, rng):
    path = tmp_path / "dhr.sqlite"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO settings (key, value) VALUES ('logo', ?)", [base64.b64encode(hostile.cmyk_jpeg(rng))])
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm040_logo_as_png'")
    db.commit()
    db.close()
    store = open_store(path)
    with Image.open(io.BytesIO(workspace.load(store.read()).logo)) as image:
        assert (image.format, image.mode) == ("PNG", "RGB")
    store.close()


# ---- text no Word or Excel file can hold never gets in, and stored text cannot break an export


def test_a_plan_csv_with_noncharacters_imports_and_every_export_still_builds(store, coordinator, new_review, rng):
    reference = new_review("DHR-2026-11")
    data = hostile.plan_csv_with_noncharacters(rng)
    assert "\ufffe".encode() in data or "\uffff".encode() in data
    result = spreadsheet.preview(store, data, "plan.csv", viewer=coordinator, reference=reference)
    assert result.ok, result.problems
    spreadsheet.import_plan(store, coordinator, reference, result, today=TODAY)
    actions = plan.list_actions(store, coordinator)
    assert actions and not any(set(a.description) & set(hostile.NONCHARACTERS) for a in actions)
    openpyxl.load_workbook(io.BytesIO(spreadsheet.export_xlsx(actions, TODAY)))
    for document in builders.REVIEW_DOCUMENTS:
        docx.Document(io.BytesIO(builders.review_document(store, coordinator, reference, document, TODAY)))


def test_a_register_transfer_with_lone_surrogates_imports_clean(store, coordinator, new_review, rng):
    new_review("DHR-2026-12")
    data = hostile.transfer_with_surrogates(rng, transfer.export_reviews(store, coordinator), "DHR-2026-13")
    assert b"\\ud" in data or b"\\uff" in data
    transfer.import_reviews(store, coordinator, data.decode("ascii"))
    review = register.get_review(store, coordinator, "DHR-2026-13")
    assert review.pseudonym == "Ivy" and review.notes.startswith("Notes")
    docx.Document(io.BytesIO(_overview(store, coordinator, "DHR-2026-13")))


def test_a_rule_set_with_control_characters_in_its_labels_still_gives_overview_reports(
    store, coordinator, new_review, rng
):
    document = hostile.rule_set(rng, controls=True)
    installed = rules.install_rule_set(store, COORD, document=document)
    reference = new_review("DHR-2026-14", rule_set=installed.name)
    report = docx.Document(io.BytesIO(_overview(store, coordinator, reference)))
    text = "\n".join(cell.text for table in report.tables for cell in table._cells)
    label = json.loads(hostile.RULE_SET.read_text())["deadlines"][0]["label"]
    assert label in text and "\ufffe" not in text


def test_stored_noncharacters_are_removed_when_the_workspace_opens(tmp_path):
    path = tmp_path / "dhr.sqlite"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO agencies (name) VALUES (?)", ["Hostel\ufffe Outreach\uffff"])
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm039_no_xml_invalid_text'")
    db.commit()
    db.close()
    store = open_store(path)
    assert store.read()["agencies"].count_where("name = 'Hostel Outreach'") == 1
    store.close()


# ---- rule sets and vocabularies: each broken JSON refused in words, counts bounded


@pytest.mark.parametrize(
    "data, message",
    [
        (hostile.json_deep(random.Random(1)), "nested too deeply"),
        (hostile.json_long_number(random.Random(1)), "a number too long"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"name": ', "line 1, column 10: not valid JSON"),
    ],
)
def test_broken_json_is_refused_in_words(data, message):
    with pytest.raises(ValidationError, match=message):
        read_json(data, what="rule set")


def test_a_rule_set_saved_by_notepad_installs_from_the_command_line(tmp_path, rng):
    data = tmp_path / "data"
    file = tmp_path / "rules.json"
    file.write_bytes(hostile.with_bom(json.dumps(hostile.rule_set(rng)).encode()))
    installed = run(data, "reviews", "rule-sets", "add", str(file))
    assert installed.returncode == 0, installed.stderr
    file.write_bytes(hostile.json_deep(rng))
    refused = run(data, "reviews", "rule-sets", "add", str(file))
    assert refused.returncode == 2 and "nested too deeply" in refused.stderr and "Traceback" not in refused.stderr


def test_too_many_deadlines_or_themes_are_refused_and_nothing_is_stored(store, rng):
    with pytest.raises(ValidationError, match="more than 100"):
        rules.install_rule_set(store, COORD, document=hostile.rule_set(rng, deadlines=100_000))
    before = len(list_themes(store.read()))
    with pytest.raises(ValidationError, match=f"more than the {MAX_THEMES}"):
        add_themes(store, COORD, document=hostile.vocabulary(rng, 100_000))
    with pytest.raises(ValidationError, match="seeds: at most"):
        add_themes(store, COORD, document=hostile.vocabulary(rng, 1, seeds=10_000))
    assert len(list_themes(store.read())) == before
    added = add_themes(store, COORD, document=hostile.vocabulary(rng, 2))
    assert [t.label for t in added] == ["Theme 0", "Theme 1"]  # the control character is gone


# ---- an import stopped before its theme suggestions were stored is finished later


def test_suggestions_an_import_owed_are_stored_when_the_workspace_next_opens(store, coordinator, new_review, embedder):
    reference = new_review("DHR-2026-15")
    data = b"Ref,Recommendation,Action,Lead agency\n1,Train GPs to ask about coercive control,Deliver training,Police\n"
    checked = spreadsheet.preview(store, data, "plan.csv", viewer=coordinator)
    spreadsheet.import_plan(store, coordinator, reference, checked)
    # the process is stopped here, before theming.refresh: the import's own transaction noted the debt
    assert store.read()["item_themes"].count == 0
    library = Library(store, embedder)
    assert theming.resume_pending(store, library) > 0
    assert store.read()["item_themes"].count_where("target = 'recommendation'") > 0
    assert theming.resume_pending(store, library) == 0  # nothing owed any more


# ---- restore streams, bounds and refuses crafted archives in words


@pytest.fixture
def archives(store, tmp_path, rng):
    good = backup.backup(store, COORD, tmp_path / "backups").read_bytes()
    return dict(hostile.restore_archives(rng, good))


@pytest.mark.parametrize(
    "kind, message",
    [
        ("bomb.zip", "longer than the manifest says"),
        ("escape.zip", "outside the data directory"),
        ("absolute.zip", "outside the data directory"),
        ("nul-name.zip", "outside the data directory"),
        ("file-and-folder.zip", "cannot be written|damaged"),
        ("manifest-list.zip", "no readable manifest"),
        ("manifest-deep.zip", "no readable manifest"),
        ("manifest-number.zip", "no readable manifest"),
        ("entry-shape.zip", "entry 'dhr.sqlite' is damaged"),
        ("size-lies.zip", "longer than the manifest says"),
        ("not-a-database.zip", "not a readable workspace database"),
        ("no-database.zip", "missing"),
        ("random.zip", "not a readable backup archive"),
    ],
)
def test_a_crafted_archive_is_refused_in_words_and_leaves_nothing(archives, tmp_path, kind, message):
    file, target = tmp_path / kind, tmp_path / "restored"
    file.write_bytes(archives[kind])
    with pytest.raises(ValidationError, match=message):
        backup.restore(file, target)
    assert not target.exists() or not any(target.iterdir())
    assert not (tmp_path / "escaped.txt").exists()

