"""National recommendations (#22, item 4): every recommendation addressed to a national body, grouped by
body and lesson, with how many reviews made it and since when, as the viewer may read them, exported as
CSV and Word; and the library counted by case characteristics (#22, item 1)."""

from __future__ import annotations

import csv
import io
import json

import docx

from core import workspace
from exports.national import national_recommendations_docx
from indexing.extract import extract
from indexing.library import Library
from indexing.reading import figures
from recommendations import national, recurring
from ui.reading import not_public_note, nothing_recurs

REPORTS = {  # name: (access, year, text)
    "a-2018.md": (
        "public",
        2018,
        "Louise, aged 35, was killed by her partner. He was convicted of her murder.\n\n"
        "## Recommendations\n\n1. The Home Office should amend the statutory guidance so that reviews of "
        "deaths by suicide follow the same timescales as reviews of homicides.\n\n"
        "2. Northvale Police should check call histories before an officer attends.",
    ),
    "b-2023.md": (
        "public",
        2023,
        "Mary, aged 78, was killed by her son. He pleaded guilty to her manslaughter.\n\n"
        "## Recommendations\n\n1. That the Home Office amend the statutory guidance so that reviews of "
        "suicides keep to the same timescales as homicide reviews.\n\n"
        "2. NHS England should require GP practices to adopt the IRIS programme.",
    ),
    "c-2024.md": (
        "partners",
        2024,
        "Ann, aged 50, was killed by her husband.\n\n## Recommendations\n\n"
        "1. The Department for Work and Pensions should flag claimants whose benefits an abuser controls.",
    ),
}


TITLES = {"a-2018.md": "Domestic Homicide Review: Louise", "b-2023.md": "DHR Mary: Executive Summary"}


def _library(store, embedder, coordinator) -> Library:
    library = Library(store, embedder)
    for name, (access, year, text) in REPORTS.items():
        library.ingest(
            f"# {TITLES.get(name, 'Review')}\n\n{text}\n".encode(),
            name,
            viewer=coordinator,
            kind="executive summary",
            access=access,
            year=year,
        )
    return library


def test_national_recommendations_grouped_by_body_and_lesson_and_exported(store, embedder, people, coordinator):
    _library(store, embedder, coordinator)
    bodies = national.national_recommendations(store, coordinator, embedder)
    assert [b["body"] for b in bodies] == ["Home Office", "Department for Work and Pensions", "NHS England"]
    home_office = bodies[0]["lessons"]
    assert len(home_office) == 1 and home_office[0]["reviews"] == 2
    assert (home_office[0]["first_year"], home_office[0]["latest_year"]) == (2018, 2023)
    assert {r["document"] for r in home_office[0]["recommendations"]} == {"a-2018.md", "b-2023.md"}
    assert "Police" not in str(bodies)  # a local recommendation is not national
    as_partner = national.national_recommendations(store, people["partner"], embedder)
    assert [b["body"] for b in as_partner] == ["Home Office", "NHS England"]  # public reports only
    rows = list(csv.reader(io.StringIO(national.as_csv(bodies).decode("utf-8-sig"))))
    assert rows[0] == list(national.CSV_COLUMNS) and len(rows) == 5
    assert rows[1][:4] == ["Home Office", home_office[0]["label"], "0", "2"]  # no review of this partnership
    workspace.save(store, coordinator, partnership="Severnside Community Safety Partnership")
    document = docx.Document(io.BytesIO(national_recommendations_docx(bodies, branding=workspace.load(store.read()))))
    # the partnership that sends it on is printed on it, as on every Word document
    assert any(p.text.startswith("Severnside Community Safety Partnership") for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("IRIS" in c for c in cells)
    # reports are named by their titles, as a reader knows them, never by the name of the file uploaded
    assert {row[6] for row in rows[1:3]} == {c for c in cells if c in TITLES.values()} == set(TITLES.values())
    assert not any(name in "".join(cells) + str(rows) for name in REPORTS)


def test_a_board_member_and_the_coordinator_are_told_the_reports_whose_recommendations_the_board_is_not_shown(
    store, embedder, people, coordinator
):
    """A report added at the partners level (the CLI's default) is one the board may read, but its recommendations
    reach board members and partners only once it is public: both they and the coordinator are told so."""
    _library(store, embedder, coordinator)
    assert recurring.reports_not_public(store, people["board"]) == 1  # c-2024.md, its DWP recommendation
    assert recurring.reports_not_public(store, coordinator) == 1
    assert "1 report(s) you can read are shared with partners only" in not_public_note(1, people["board"])
    assert "Board members and partners see recommendations from public documents only" in not_public_note(
        1, coordinator
    )
    assert not_public_note(1, people["chair"]) == "" and not_public_note(0, people["board"]) == ""
    said = nothing_recurs(recurring.compared(store, people["board"]), people["board"], 1)
    assert said.endswith("board members and partners see recommendations from public documents only.")


def test_the_library_is_counted_by_case_characteristics_as_the_viewer_may_read_it(store, embedder, people, coordinator):
    _library(store, embedder, coordinator)
    found = figures.case_characteristics(store, coordinator)
    assert found["documents"] == 3
    assert found["age_band"] == [  # bands by decade (aged 35, 50 and 78)
        {"category": "30-39", "documents": 1},
        {"category": "50-59", "documents": 1},
        {"category": "70-79", "documents": 1},
    ]
    relationships = {r["category"]: r["documents"] for r in found["relationship"]}
    assert relationships == {"Partner": 2, "Adult child of the victim": 1}
    behind = figures.documents_with(store, coordinator, "relationship", "Adult child of the victim")
    assert [b["document"] for b in behind] == ["b-2023.md"] and "killed by her son" in behind[0]["sentence"]
    with_access = figures.case_characteristics(store, people["board"])
    assert with_access["documents"] == 3  # partners' documents too: the board may read them
    from core.accounts import Viewer

    nobody = Viewer("x", "agency_lead", "", "Police")
    assert figures.case_characteristics(store, nobody)["documents"] == 3


def test_national_cli_prints_and_writes_csv(tmp_path):
    from tests.conftest import run

    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    for name, (_, _year, text) in REPORTS.items():
        (folder / name).write_text(f"# Review\n\n{text}\n")
    assert run(data, "indexing", "ingest", str(folder), "--kind", "executive summary").returncode == 0
    result = run(data, "recommendations", "national", "--json", "--csv", str(tmp_path / "national.csv"))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed[0]["body"] == "Home Office" and printed[0]["lessons"][0]["reviews"] == 2
    assert (tmp_path / "national.csv").read_bytes().startswith(b"\xef\xbb\xbfBody,Lesson")


def test_a_national_body_spelt_two_ways_is_one_body(store, embedder, coordinator):
    library = Library(store, embedder)
    for name, ask in (
        ("d.md", "The DWP should flag claimants whose benefits an abuser controls."),
        ("e.md", "The Department for Work and Pensions should train work coaches to ask about economic abuse."),
    ):
        text = f"# Review {name}\n\n## Recommendations\n\n1. {ask}\n"
        library.ingest(text.encode(), name, viewer=coordinator, kind="executive summary", access="public", year=2024)
    bodies = national.national_recommendations(store, coordinator, embedder)
    assert [(b["body"], b["reviews"]) for b in bodies] == [("Department for Work and Pensions", 2)]


def test_a_reports_national_recommendation_is_named_by_its_review_where_the_reader_may_read_that_review(
    store, embedder, people, coordinator, new_review
):
    """Every report of a partnership opens with its name, so a title names no review: the coordinator sees the
    reference of the review a report belongs to (as recurring lessons show it); a board member, who may not
    read an unpublished review, sees the report's title."""
    new_review("DHR-2025-07")
    Library(store, embedder).ingest(
        b"# Severnside Community Safety Partnership\n\n## Recommendations\n\n"
        b"1. The Department for Work and Pensions should flag claimants whose benefits an abuser controls.\n",
        "daniel.md",
        viewer=coordinator,
        kind="executive summary",
        access="public",
        review="DHR-2025-07",
        year=2025,
    )
    as_coordinator = national.national_recommendations(store, coordinator, embedder)
    (recommendation,) = as_coordinator[0]["lessons"][0]["recommendations"]
    assert national.named(recommendation) == "DHR-2025-07"
    assert list(csv.reader(io.StringIO(national.as_csv(as_coordinator).decode("utf-8-sig"))))[1][6] == "DHR-2025-07"
    as_board = national.national_recommendations(store, people["board"], embedder)
    assert national.named(as_board[0]["lessons"][0]["recommendations"][0]) == "Severnside Community Safety Partnership"


def test_a_board_member_sees_a_reports_title_only_where_the_library_shows_them_that_report(
    store, embedder, people, coordinator, new_review
):
    """An unpublished review's report named by its title in the board's export (the acceptance walk) is no leak: the
    title is that of a public document, which the library lists to the board too. Its confidential report, title and
    recommendation alike, never reaches the board, nor does the unpublished review's reference."""
    new_review("DHR-2025-08")
    library = Library(store, embedder)
    asked = "1. The Department for Work and Pensions should flag claimants whose benefits an abuser controls.\n"
    for access in ("public", "confidential"):
        library.ingest(
            f"# Eastmarsh DHR: {access} report on the death of Joan\n\n## Recommendations\n\n{asked}".encode(),
            f"joan-{access}.md",
            viewer=coordinator,
            kind="executive summary",
            access=access,
            review="DHR-2025-08",
            year=2025,
        )
    as_board = national.national_recommendations(store, people["board"], embedder)
    shown = {national.named(r) for body in as_board for lesson in body["lessons"] for r in lesson["recommendations"]}
    assert len(shown) == 1 and "public" in next(iter(shown))
    assert shown <= {document["title"] for document in library.list_documents(people["board"])}
    exported = national.as_csv(as_board).decode("utf-8-sig")
    assert "confidential" not in exported and "DHR-2025-08" not in exported


def own_review_asks_the_home_office(store, coordinator, new_review):
    """This partnership's review DHR-2025-05 whose plan asks the Home Office what _library's two reports ask it."""
    from recommendations import plan

    new_review("DHR-2025-05")
    plan.add_recommendation(
        store,
        coordinator,
        "DHR-2025-05",
        number="1",
        text="The Home Office should amend the statutory guidance so that reviews of suicides keep to the same "
        "timescales as reviews of homicides.",
        scope="national",
    )


def test_each_count_says_whether_it_counts_this_partnerships_reviews_or_reports_from_elsewhere(
    store, embedder, coordinator, new_review
):
    """Two library reports from elsewhere (not reports of a review of this partnership) and one of this partnership's
    review plans ask the Home Office for one lesson: the lesson, its body, the CSV and the Word document all say 1
    review of this partnership and 2 reports from other partnerships or national bodies, never "3 reviews"."""
    _library(store, embedder, coordinator)
    own_review_asks_the_home_office(store, coordinator, new_review)
    bodies = national.national_recommendations(store, coordinator, embedder)
    home_office = next(b for b in bodies if b["body"] == "Home Office")
    [lesson] = home_office["lessons"]
    assert {k: lesson[k] for k in ("reviews", "own_reviews", "other_reports")} == {
        "reviews": 3,
        "own_reviews": 1,
        "other_reports": 2,
    }
    said = "1 review of this partnership and 2 reports from other partnerships or national bodies"
    assert recurring.said(lesson) == recurring.said(home_office) == said
    dwp = next(b for b in bodies if b["body"] == "Department for Work and Pensions")
    assert recurring.said(dwp) == "1 report from another partnership or a national body"
    rows = list(csv.DictReader(io.StringIO(national.as_csv(bodies).decode("utf-8-sig"))))
    assert {(r[national.OWN_REVIEWS], r[national.OTHER_REPORTS]) for r in rows if r["Body"] == "Home Office"} == {
        ("1", "2")
    }
    assert "Reviews" not in rows[0]  # no count that does not say what it counts
    document = docx.Document(io.BytesIO(national_recommendations_docx(bodies, branding=workspace.load(store.read()))))
    assert f"Home Office ({said})" in [p.text for p in document.paragraphs]
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[:3] == ["Lesson", national.OWN_REVIEWS, national.OTHER_REPORTS]
    assert [c.text for c in document.tables[0].rows[1].cells][1:3] == ["1", "2"]


def test_the_national_page_says_what_each_count_counts(tmp_path, monkeypatch, embedder):
    """The page, as the coordinator: the body's heading and the lesson's line say whose reviews and reports made
    it, in the words of the CSV and the Word document."""
    from core import accounts
    from core.schema import open_store
    from core.settings import database_path
    from tests.app.conftest import open_signed_in

    store = open_store(database_path(tmp_path))
    coordinator = accounts.create_first_coordinator(store, username="coord", password="a-long-enough-password-x")
    _library(store, embedder, coordinator)
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/national.py")
    assert not at.exception, at.exception
    headings = [h.value for h in at.subheader]
    assert "Home Office · 2 reports from other partnerships or national bodies" in headings
    assert "NHS England · 1 report from another partnership or a national body" in headings
    made = "· made by 2 reports from other partnerships or national bodies since 2018"
    assert any(e.label.endswith(made) for e in at.expander)


def test_two_reports_of_one_place_are_named_apart_by_year_and_then_by_file(store, embedder, coordinator):
    """The accountability index titles every review of a place alike ("Southampton review"): the walk's export named
    two different reports the same. Each is its title and year where titles clash, its file too where years do; a
    title no other report shares stays as it is."""
    library = Library(store, embedder)
    asks = [
        "The Home Office should consider allowing more flexibility in the timescales of reviews.",
        "The Home Office should gather and risk assess the convictions of people entering the country.",
        "NHS England should require GP practices to adopt the IRIS programme.",
        "The Department for Work and Pensions should flag claimants whose benefits an abuser controls.",
    ]
    for (name, title, year), ask in zip(
        [
            ("southampton-a.md", "Southampton review", 2024),
            ("southampton-b.md", "Southampton review", 2025),
            ("norfolk-a.md", "Norfolk review", 2023),
            ("norfolk-b.md", "Norfolk review", 2023),
        ],
        asks,
        strict=True,
    ):
        text = f"# {title}\n\nShe was killed by her partner.\n\n## Recommendations\n\n1. {ask}\n"
        library.ingest(text.encode(), name, viewer=coordinator, kind="executive summary", access="public", year=year)
    library.ingest(
        f"# Kent review\n\n## Recommendations\n\n1. {asks[2]}\n".encode(), "kent.md", viewer=coordinator, year=2023
    )
    bodies = national.national_recommendations(store, coordinator, embedder)
    named = {r[6] for r in csv.reader(io.StringIO(national.as_csv(bodies).decode("utf-8-sig")))} - {"Review or report"}
    assert named == {
        "Southampton review (2024)",
        "Southampton review (2025)",
        "Norfolk review (2023, norfolk-a.md)",
        "Norfolk review (2023, norfolk-b.md)",
        "Kent review",
    }


def test_a_word_table_row_is_never_split_across_pages_and_its_header_repeats(store, embedder, coordinator, tmp_path):
    """The walk's Word export printed a recommendation's first lines at the foot of one page and the rest on the next:
    every row is kept whole, and the header row repeats on each page (checked as LibreOffice prints it)."""
    from tests.test_report_pdf_layouts import printed_pdf

    library = Library(store, embedder)
    for n in range(14):
        ask = f"The Home Office should amend the statutory guidance so that every review examines topic {n} in full. "
        text = f"# Review {n}\n\n## Recommendations\n\n1. START{n} {ask * 3} END{n}\n"
        library.ingest(text.encode(), f"r{n}.md", viewer=coordinator, kind="executive summary", year=2020 + n % 5)
    bodies = national.national_recommendations(store, coordinator, embedder)
    data = national_recommendations_docx(bodies, branding=workspace.load(store.read()))
    document = docx.Document(io.BytesIO(data))
    assert all("<w:cantSplit/>" in row._tr.xml for table in document.tables for row in table.rows)
    printed = extract(printed_pdf(document, tmp_path), "national.pdf")
    assert len(printed.pages) > 1
    for n in range(14):
        start, end = printed.text.index(f"START{n}"), printed.text.index(f"END{n}")
        assert printed.page_at(start) == printed.page_at(end)
    pages = [printed.text[s:e] for _, s, e in printed.pages]
    assert all("Recommendation" in page for page in pages)  # the header row on every page
