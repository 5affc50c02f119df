"""Recommendations read from reports (#22, item 2) on a fresh workspace: an overview report (.docx) that
lists them in its summary and again in a table, and an executive summary (.pdf) with "Recommendation N:"
paragraphs, give each recommendation once with its addressee; lessons are not recommendations; the facts
are stored with their sentences, corrected by the coordinator only (audited), kept when read again, and
read for documents an earlier release stored; ``python -m indexing extract --json`` keeps its contract."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader

from core.errors import NotFound, PermissionDenied, ValidationError
from indexing.extract import extract
from indexing.library import Library
from indexing.reading import documents as reading
from indexing.reading.recommendations import read_recommendations
from indexing.reading.records import read_unread
from indexing.reading.sentences import rejoined
from tests.conftest import run
from tests.indexing_helpers import make_pdf

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"
FULL = [
    (
        "1",
        "Northvale Police should review how call handlers record repeat calls from the same address "
        "and make sure the history is seen before an officer is sent.",
        "Northvale Police",
    ),
    (
        "2",
        "The Mental Health Trust should ask every patient who discloses thoughts of harming a partner about "
        "that partner's safety and share the risk with the MARAC.",
        "Mental Health Trust",
    ),
    (
        "3",
        "The Home Office should amend the statutory guidance so that reviews of deaths by suicide follow "
        "the same timescales as reviews of homicides.",
        "Home Office",
    ),
]


def overview_report() -> bytes:
    """An overview report as chairs write them: facts in the summary, recommendations listed in the
    summary, lessons under their own heading, then every recommendation in full in a table."""
    document = docx.Document()
    document.add_heading("Domestic Homicide Review: overview report into the death of Anna", level=0)
    document.add_heading("Executive summary", level=1)
    document.add_paragraph(
        "Anna, aged 58, was killed by her husband, Bill, then aged 61, in March 2022. He was convicted of "
        "her murder and sentenced to life imprisonment. Their son, aged 19, lived with them."
    )
    document.add_heading("Lessons learned", level=1)
    document.add_paragraph("1. Agencies did not share what they knew about the repeat calls.")
    document.add_paragraph("2. The panel considered that Anna's GP had few chances to ask about abuse.")
    document.add_heading("Summary of recommendations", level=1)
    for number, text, _ in FULL:
        document.add_paragraph(f"{number}. {text}")
    document.add_heading("Conclusions", level=1)
    document.add_paragraph("The panel concluded that the death could not have been predicted.")
    document.add_heading("Recommendations in full", level=1)
    table = document.add_table(rows=1 + len(FULL), cols=3)
    for column, title in enumerate(("No.", "Recommendation", "Addressed to")):
        table.cell(0, column).text = title
    for row, (number, text, addressee) in enumerate(FULL, start=1):
        for column, value in enumerate((number, text, addressee)):
            table.cell(row, column).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def executive_summary() -> bytes:
    return make_pdf(
        [
            "Executive summary of the review into the death of Carol\n\n"
            "Carol, aged 67, was killed by her son in 2021. He pleaded guilty to her manslaughter.\n\n"
            "Findings\n\nAgencies saw each incident on its own.",
            "Recommendations\n\n"
            "Recommendation 1: Adult Social Care should offer a carer's assessment to every parent who cares for "
            "an adult son or daughter and ask the parent whether they are safe at home.\n\n"
            "Recommendation 2: The Department for Work and Pensions should tell local partnerships when a "
            "claimant reports that an adult child controls their benefits.\n\n"
            "Lessons\n\nThe panel noted good practice by the ambulance service.",
        ]
    )


@pytest.fixture
def library(store, embedder, people):
    return Library(store, embedder)


def test_each_recommendation_once_with_its_addressee_from_a_word_report_and_a_pdf(library, coordinator):
    library.ingest(overview_report(), "anna-overview.docx", viewer=coordinator, kind="overview report", access="public")
    library.ingest(
        executive_summary(), "carol-summary.pdf", viewer=coordinator, kind="executive summary", access="public"
    )
    found = {d["document"]: d for d in reading.library_readings(library.store, coordinator)}
    anna = found["anna-overview.docx"]["recommendations"]
    assert [(r["number"], r["addressee"], r["national"]) for r in anna] == [
        ("1", "Northvale Police", False),
        ("2", "Mental Health Trust", False),
        ("3", "Home Office", True),
    ]
    assert [" ".join(r["text"].split()) for r in anna] == [text for _, text, _ in FULL]
    assert anna[0]["agency"] == "Police" and anna[1]["agency"] == "Mental Health Trust"  # the workspace's agencies
    carol = found["carol-summary.pdf"]["recommendations"]
    assert [(r["number"], r["addressee"], r["national"]) for r in carol] == [
        ("1", "Adult Social Care", False),
        ("2", "Department for Work and Pensions", True),
    ]
    assert carol[0]["text"].endswith("whether they are safe at home.")
    assert "good practice" not in json.dumps(carol) and "could not have been predicted" not in json.dumps(anna)
    facts = found["anna-overview.docx"]["facts"]
    assert facts["victim_age"] == 58 and facts["perpetrator_age"] == 61  # the son's 19 is nobody's
    assert facts["relationship"] == "intimate_partner" and facts["perpetrator_suicide"] is False
    assert found["carol-summary.pdf"]["facts"]["relationship"] == "child_of_victim"
    assert found["carol-summary.pdf"]["facts"]["victim_age"] == 67


def test_real_recommendation_lists_give_number_text_and_addressee():
    text = (DHR / "07_kent-2013death-accountabilityindex-recs.txt").read_text(encoding="utf-8")
    found = read_recommendations(text)
    by_number = {r.number: r for r in found}
    assert by_number["1"].addressee == "Kent Police" and not by_number["1"].text.endswith("Kent Police")
    assert by_number["11"].addressee == "NHS England" and by_number["11"].national
    assert by_number["12"].addressee == "Kent Police | KSCS"
    assert "16" not in by_number  # "16 recommendations pulled from the report" is a count
    liverpool = read_recommendations((DHR / "13_liverpool-2014death-accountabilityindex-recs.txt").read_text())
    assert [r.addressee for r in liverpool[:3]] == ["Merseyside Police", "South Liverpool Homes", "GP Practice"]


def test_a_row_cut_off_mid_cell_gives_no_addressee_rather_than_a_cut_word():
    table = (
        "| # | Recommendation | Addressed to |\n|---|---|---|\n"
        "| 1 | Northvale Police should record every repeat call against the address. | Northvale Police |\n"
        "| 2 | The partnership and its partners to consider face to face interpreting for victims. | Nor"
    )
    found = {r.number: r.addressee for r in read_recommendations(table)}
    assert found == {"1": "Northvale Police", "2": ""}
    real = {
        r.number: r
        for r in read_recommendations(
            (DHR / "15_cardiff-2019death-interpreters-accountabilityindex-recs.txt").read_text()
        )
    }
    assert real["17.4"].addressee == "" and real["17.1"].addressee == "Cardiff Community Safety Partnership"


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        (
            "Northvale Safeguarding Board (NSB) should audit how referrals are closed.",
            "Northvale Safeguarding Board (NSB)",
        ),
        (
            "Northvale Council (Adults, Health and Housing) to review how tenancy officers record abuse.",
            "Northvale Council",
        ),
    ],
)
def test_a_body_named_with_a_bracketed_part_is_the_addressee(text, addressee):
    (found,) = read_recommendations(f"Recommendations\n\n1. {text}\n")
    assert found.addressee == addressee


def test_a_paragraph_names_its_own_addressee_over_the_cover_and_a_closing_bracket_is_no_heading():
    """A summary whose sections run on ("4. Recommendations. The review makes three.") never ends the scope of its
    cover's partnership name; each "Recommendation N:" paragraph is addressed by its own subject or its closing
    brackets, and the brackets a PDF wrapped onto a line of their own address no paragraph after them."""
    text = (
        "Eastfield Community Safety Partnership\n"
        "Domestic Homicide Review: Executive Summary\n"
        "1. Key findings. Nobody asked Ruth about her money.\n"
        "2. Recommendations. The review makes three recommendations.\n"
        "Recommendation 1: The Department for Work and Pensions should check whether a claimant is at risk of\n"
        "economic abuse by the appointee named for their pension.\n"
        "(Department for Work and Pensions)\n"
        "Recommendation 2: That call handlers are trained to recognise abuse of a parent by an adult child.\n"
        "(Eastfield Police)\n"
        "Recommendation 3: Eastfield Adult Social Care should ask an older parent whether they feel safe at home.\n"
    )
    assert [(r.number, r.addressee, r.national) for r in read_recommendations(text)] == [
        ("1", "Department for Work and Pensions", True),
        ("2", "Eastfield Police", False),
        ("3", "Eastfield Adult Social Care", False),
    ]


def test_real_rows_whose_addressee_cell_is_missing_take_the_body_their_text_names():
    kent = {
        r.number: r for r in read_recommendations((DHR / "07_kent-2013death-accountabilityindex-recs.txt").read_text())
    }
    assert kent["14"].addressee == "Kent Criminal Justice Board (KCJB)"
    sheffield = read_recommendations((DHR / "11_sheffield-2014death-refugee-accountabilityindex-recs.txt").read_text())
    assert {r.number: r.addressee for r in sheffield}["11"] == "Sheffield City Council"


def test_the_coordinator_corrects_a_fact_the_correction_wins_is_audited_and_survives_reading_again(
    library, coordinator, people
):
    result = library.ingest(overview_report(), "anna.docx", viewer=coordinator, kind="overview report", access="public")
    document_id = result.document_id
    with pytest.raises(PermissionDenied):
        reading.correct_fact(library.store, people["chair"], document_id, "victim_age", 59)
    with pytest.raises(ValidationError, match="whole years"):
        reading.correct_fact(library.store, coordinator, document_id, "victim_age", "fifty")
    reading.correct_fact(library.store, coordinator, document_id, "victim_age", "59")
    shown = reading.document_reading(library.store, people["partner"], document_id)["facts"]["victim_age"]
    assert shown["value"] == 59 and shown["extracted"] == 58 and shown["corrected_by"] == "coord"
    assert "Anna, aged 58" in shown["sentence"]
    audit = list(library.store.read()["audit_log"].rows_where("entity = 'document_facts'"))
    assert audit and audit[-1]["actor"] == "coord" and "59" in audit[-1]["after"]
    library.update_document(coordinator, document_id, kind="executive summary")  # read again
    assert reading.document_reading(library.store, coordinator, document_id)["facts"]["victim_age"]["value"] == 59


def test_documents_an_earlier_release_stored_are_read_from_their_passages(library, coordinator):
    result = library.ingest(executive_summary(), "carol.pdf", viewer=coordinator, kind="executive summary")
    with library.store.write("test") as tx:  # as a workspace from before this release holds it
        tx.db.execute("DELETE FROM document_facts")
        tx.db.execute("DELETE FROM document_recommendations")
        tx.db.execute("UPDATE documents SET read_version = NULL")
    assert reading.document_reading(library.store, coordinator, result.document_id)["read"] is False
    assert read_unread(library.store) == 1
    read = reading.document_reading(library.store, coordinator, result.document_id)
    assert [r["number"] for r in read["recommendations"]] == ["1", "2"]
    assert read["facts"]["victim_age"]["value"] == 67
    assert read_unread(library.store) == 0


def test_extract_cli_prints_the_contract_for_what_the_role_may_read(tmp_path):
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "anna.docx").write_bytes(overview_report())
    (folder / "louise.txt").write_text((DHR / "21_devon-case17-louise-exec-summary.txt").read_text(encoding="utf-8"))
    assert (
        run(
            data, "indexing", "ingest", str(folder / "anna.docx"), "--kind", "overview report", "--access", "public"
        ).returncode
        == 0
    )
    assert run(data, "indexing", "ingest", str(folder / "louise.txt"), "--kind", "executive summary").returncode == 0
    result = run(data, "indexing", "extract", "--json", "--role", "board")
    assert result.returncode == 0, result.stderr
    printed = {d["document"]: d for d in json.loads(result.stdout)}
    assert set(printed) == {"anna.docx", "louise.txt"}
    for document in printed.values():
        assert {"document", "title", "facts", "recommendations"} <= set(document)
        assert set(document["facts"]) == {
            "victim_age",
            "victim_sex",
            "perpetrator_age",
            "perpetrator_sex",
            "relationship",
            "perpetrator_suicide",
            "death",
        }
        for rec in document["recommendations"]:
            assert {"number", "text", "addressee", "national"} <= set(rec) and isinstance(rec["national"], bool)
    assert printed["louise.txt"]["facts"]["victim_age"] == 35
    assert printed["louise.txt"]["facts"]["victim_sex"] == "female"
    assert len(printed["anna.docx"]["recommendations"]) == 3


def _review_with_its_report(library, coordinator, new_review, access: str) -> None:
    """Review DHR-2025-04 (chaired by "chair") and its overview report, anna.docx, in the library."""
    new_review("DHR-2025-04", chair="chair")
    library.ingest(
        overview_report(), "anna.docx", viewer=coordinator, kind="overview report", access=access, review="DHR-2025-04"
    )


def test_a_reports_recommendations_go_into_its_reviews_plan_in_one_step(library, coordinator, people, new_review):
    from recommendations import from_reports, plan

    _review_with_its_report(library, coordinator, new_review, "confidential")
    offered = from_reports.report_recommendations(library.store, people["chair"], "DHR-2025-04")
    assert [(r["number"], r["scope"], r["target_agencies"]) for r in offered] == [
        ("1", "single-agency", ["Police"]),
        ("2", "single-agency", ["Mental Health Trust"]),
        ("3", "national", []),
    ]
    # the page names the report as a person knows it, by its title, not its file
    assert {r["title"] for r in offered} == {"Domestic Homicide Review: overview report into the death of Anna"}
    with pytest.raises(NotFound):  # another review's chair
        from_reports.report_recommendations(library.store, people["chair2"], "DHR-2025-04")
    edited = [offered[0] | {"text": offered[0]["text"] + " Within six months."}, offered[2]]
    with pytest.raises(ValidationError):  # one bad row: nothing is added
        from_reports.add_to_plan(
            library.store, library, coordinator, "DHR-2025-04", [*edited, offered[1] | {"scope": "x"}]
        )
    assert plan.recommendations_for(library.store, coordinator, "DHR-2025-04") == []
    from_reports.add_to_plan(library.store, library, people["chair"], "DHR-2025-04", edited)
    added = plan.recommendations_for(library.store, coordinator, "DHR-2025-04")
    assert [(r.number, r.scope) for r in added] == [("1", "single-agency"), ("3", "national")]
    assert added[0].text.endswith("Within six months.")
    again = from_reports.report_recommendations(library.store, coordinator, "DHR-2025-04")
    # the plan holds 1 (in its own, edited words) and 3: only 2 is offered ticked, and adding 1 again is refused
    assert [r["in_plan"] for r in again] == [True, False, True]
    with pytest.raises(ValidationError, match=r"already holds recommendation\(s\) 1, 3; untick them"):
        from_reports.add_to_plan(library.store, library, coordinator, "DHR-2025-04", [again[0], again[1], again[2]])


def test_a_reports_agencies_follow_the_agency_list_and_the_plans_own_choices_stay(
    library, coordinator, people, new_review
):
    """The agency a report's addressee names is the list's as it stands: renamed, added or removed, the offer and
    the document view follow at once; what the coordinator chose for the plan is the plan's and stays."""
    from core.agencies import add_agency, remove_agency, rename_agency
    from recommendations import from_reports, plan

    _review_with_its_report(library, coordinator, new_review, "confidential")
    document_id = next(library.store.read()["documents"].rows_where("source_name = 'anna.docx'"))["id"]

    def agencies() -> list:
        offered = [
            r["target_agencies"] for r in from_reports.report_recommendations(library.store, coordinator, "DHR-2025-04")
        ]
        shown = [
            r["agencies"] for r in reading.document_reading(library.store, coordinator, document_id)["recommendations"]
        ]
        assert offered == shown
        return [(agencies or [None])[0] for agencies in shown]

    assert agencies() == ["Police", "Mental Health Trust", None]
    offered = from_reports.report_recommendations(library.store, coordinator, "DHR-2025-04")
    from_reports.add_to_plan(
        library.store, library, coordinator, "DHR-2025-04", [offered[1] | {"target_agencies": ["Adult Social Care"]}]
    )
    rename_agency(library.store, coordinator, name="Police", new_name="Northvale Constabulary")
    assert agencies() == ["Northvale Constabulary", "Mental Health Trust", None]  # "Northvale Police": of its kind
    add_agency(library.store, coordinator, name="Northvale Police")
    assert agencies() == ["Northvale Police", "Mental Health Trust", None]  # the agency of its very name
    remove_agency(library.store, coordinator, name="Northvale Police")
    assert agencies()[0] == "Northvale Constabulary"
    (added,) = plan.recommendations_for(library.store, coordinator, "DHR-2025-04")
    assert added.target_agencies == ["Adult Social Care"]  # the coordinator's choice, not the report's match


def test_recommendations_added_to_the_plan_are_listed_once_across_plans_and_reports(
    library, coordinator, people, new_review
):
    from recommendations import from_reports
    from recommendations.recurring import readable_recommendations

    _review_with_its_report(library, coordinator, new_review, "public")
    offered = from_reports.report_recommendations(library.store, coordinator, "DHR-2025-04")
    before = readable_recommendations(library.store, coordinator)
    assert [(r["document"], r["number"]) for r in before] == [
        ("anna.docx", "1"),
        ("anna.docx", "2"),
        ("anna.docx", "3"),
    ]
    edited = offered[0] | {"text": offered[0]["text"] + " Within six months."}  # same number, text edited
    renumbered = offered[2] | {"number": "7"}  # same text, another number
    from_reports.add_to_plan(library.store, library, coordinator, "DHR-2025-04", [edited, renumbered])
    after = readable_recommendations(library.store, coordinator)
    assert sorted(((r["review"], r["document"], r["number"]) for r in after), key=str) == [
        ("DHR-2025-04", None, "1"),
        ("DHR-2025-04", None, "7"),
        (None, "anna.docx", "2"),  # not in the plan: still the report's
    ]
    # a board member may not read the unpublished plan, so the public report's recommendations stay theirs
    assert [r["number"] for r in readable_recommendations(library.store, people["board"])] == ["1", "2", "3"]


def test_a_recommendation_ends_where_its_list_ends_and_carries_no_markup():
    text = (
        "Recommendations\n\n"
        "1. That the Northvale Board comment on each of the following, set out below:\n"
        " - a. Aims\n - b. Priorities for <u>2025-2028</u>\n\n"
        "Why this paper is needed\n\n"
        "The strategy will cost \\pounds 2.1 million &amp; more over three years, see <u>the annex</u>.\n"
        "Partners will agree the funding at the next meeting.\n"
    )
    (found,) = read_recommendations(text)
    assert found.text == (
        "That the Northvale Board comment on each of the following, set out below: - a. Aims "
        "- b. Priorities for 2025-2028"
    )
    (money,) = read_recommendations(
        "Recommendations\n\n1. The Northvale Board should set aside \\pounds 5,000 for <b>training</b> &amp; audit.\n"
    )
    assert money.text == "The Northvale Board should set aside £5,000 for training & audit."


def test_extract_cli_reads_a_board_packs_one_recommendation_without_the_rest_of_it(tmp_path):
    data = tmp_path / "data"
    (seed,) = (DHR.parent / "seeds").glob("001_*")
    assert run(data, "indexing", "ingest", str(seed), "--kind", "executive summary").returncode == 0
    result = run(data, "indexing", "extract", "--json")
    assert result.returncode == 0, result.stderr
    ((document,),) = [json.loads(result.stdout)]
    (recommendation,) = document["recommendations"]
    assert recommendation["text"].startswith("That the SCPB comment on each of the following")
    assert recommendation["text"].endswith("strategy.") and len(recommendation["text"].split()) < 40
    assert "<u>" not in recommendation["text"] and "\\pounds" not in recommendation["text"]


def test_recommendations_added_from_a_report_count_under_their_themes_not_as_other(library, coordinator, new_review):
    """They were added with no themes and no suggested ones, so "Recommendations by theme" counted each as
    Other: they are themed as an imported plan's are, through the themes suggested for their text."""
    from collections import Counter

    from recommendations import figures, from_reports
    from recommendations.plan import theme_labels

    _review_with_its_report(library, coordinator, new_review, "public")
    offered = from_reports.report_recommendations(library.store, coordinator, "DHR-2025-04")
    from_reports.add_to_plan(library.store, library, coordinator, "DHR-2025-04", offered)
    suggested = library.tagging.suggest([r["text"] for r in offered], "recommendation")
    labels = theme_labels(library.store.read())
    expected = Counter(labels[key] for found in suggested for key, score in found.items() if score > 0)
    assert sum(expected.values()) >= len(offered) and expected["Other"] < len(offered)
    assert {k: v for k, v in figures.recommendations_by_theme(library.store).items() if v} == dict(expected)


def _fill(table, rows) -> None:
    """A Word table's header row and then a row for each of ``rows`` after the first."""
    for cell, value in zip(table.rows[0].cells, rows[0], strict=True):
        cell.text = value
    for values in rows[1:]:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def test_a_word_action_plans_date_and_progress_columns_are_not_the_addressee(tmp_path):
    document = docx.Document()
    document.add_heading("Action plan", level=1)
    table = document.add_table(rows=1, cols=6)
    rows = [
        ("No.", "Recommendation", "Action to take", "Lead agency", "Target date", "Progress"),
        (
            "1",
            "GP practices should see patients alone at least once a year.",
            "Audit notes.",
            "Northvale ICB",
            "March 2025",
            "Complete",
        ),
        (
            "2",
            "The council should audit tenancy visits every year.",
            "Audit.",
            "Northvale Council",
            "June 2025",
            "Ongoing",
        ),
    ]
    _fill(table, rows)
    document.save(tmp_path / "plan.docx")
    text = extract((tmp_path / "plan.docx").read_bytes(), "plan.docx").text
    assert [(r.number, r.addressee) for r in read_recommendations(text)] == [
        ("1", "Northvale ICB"),
        ("2", "Northvale Council"),
    ]


@pytest.mark.parametrize(
    "number_title",
    ["Rec No.", "Recommendation No.", "Recommendation number", "Ref", "Rec", "Rec.", "No", "#", "Number"],
)
def test_a_tables_number_column_may_be_titled_as_councils_title_it(number_title):
    text = (
        f"Recommendations\n\n{number_title} | Recommendation | Lead agency\n"
        "1 | Practices should see patients alone at least once a year. | Northvale ICB\n"
        "2 | The council should audit tenancy visits every year. | Northvale Council\n"
    )
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(text)] == [
        ("1", "Practices should see patients alone at least once a year.", "Northvale ICB"),
        ("2", "The council should audit tenancy visits every year.", "Northvale Council"),
    ]


@pytest.mark.parametrize(
    "header, row",
    [
        ("Rec | Recommendation | Lead | Local or national", "{n} | {text} | {body} | {scope}"),
        ("No. | Recommendation | Local / National", "{n} | {text} | {scope}"),
        ("# | Scope | Recommendation | Agency", "{n} | {scope} | {text} | {body}"),
    ],
)
def test_a_scope_column_says_a_recommendations_reach_and_is_neither_its_text_nor_its_addressee(header, row):
    rows = [
        ("1", "Eastbrook Police should record each repeat call as a linked incident.", "Eastbrook Police", "Local"),
        ("2", "The Home Office should publish guidance on stalking protection orders.", "Home Office", "National"),
    ]
    text = f"Recommendations\n\n| {header} |\n" + "".join(
        f"| {row.format(n=n, text=t, body=b, scope=s)} |\n" for n, t, b, s in rows
    )
    assert [(r.number, r.text, r.addressee, r.national) for r in read_recommendations(text)] == [
        (n, t, b, s == "National") for n, t, b, s in rows
    ]


NARROW = [
    ("1", "Agencies should improve their understanding of coercive control through training.", "Northvale Police"),
    (
        "2",
        "The safeguarding partnership should monitor each recommendation until it is completed.",
        "Northvale Safeguarding Partnership",
    ),
    ("3", "The Home Office should publish accountability guidance for practitioners.", "Home Office"),
]


def narrow_column_summary() -> bytes:
    """An executive summary printed at 20 pt, as chairs publish them for readers who need large print: prose whose
    lines end on whole words (one on "the" before "rapist", one on a hyphen), and a recommendations table whose
    narrow column breaks the words too long for it with no hyphen ("Recomme" / "ndation", "understand" / "ing",
    "practitioner" / "s."), its cells set at the top as Word and LibreOffice set them."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=20)
    pdf.add_page()
    pdf.multi_cell(
        0,
        10,
        "Executive summary\n\nAmy, aged 44, was killed by her husband, whom she had named to the police as the\n"
        "rapist in 2019.\n\nRecommendation 4: The Home Office should fund research into multi-\nagency decision-\n"
        "making after an allegation of rape.",
    )
    pdf.add_page()
    pdf.multi_cell(0, 10, "Recommendations")
    with pdf.table(width=100, col_widths=(14, 38, 48), text_align="LEFT", v_align="TOP") as table:
        for values in [("No.", "Recommendation", "Agency"), *NARROW]:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


def test_extract_cli_reads_words_a_narrow_pdf_column_broke_without_a_hyphen_whole(tmp_path):
    pdf = tmp_path / "amy-summary.pdf"
    pdf.write_bytes(narrow_column_summary())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "understand\ning" in text and "accountabil\nity" in text  # the column did break the words
    data = tmp_path / "data"
    assert run(data, "indexing", "ingest", str(pdf), "--kind", "executive summary").returncode == 0
    # the library's passages hold the words whole: keyword search finds "accountability" (its pieces stem to
    # "accountabil" and "iti", never "account") and shows "understanding", not "understand ing"
    for word, words in (
        ("accountability", "publish accountability guidance"),
        ("understanding", "their understanding of"),
    ):
        result = run(data, "indexing", "search", word, "--mode", "bm25", "--json")
        assert result.returncode == 0, result.stderr
        assert [words in " ".join(hit["text"].split()) for hit in json.loads(result.stdout)] == [True], word
    result = run(data, "indexing", "extract", "--json")
    assert result.returncode == 0, result.stderr
    ((document,),) = [json.loads(result.stdout)]
    assert [(r["number"], r["text"], r["addressee"]) for r in document["recommendations"]] == [
        *NARROW,
        (
            "4",
            "The Home Office should fund research into multi-agency decision-making after an allegation of rape.",
            "Home Office",
        ),
    ]
    assert document["facts"]["victim_age"] == 44
    assert "named to the police as the rapist in 2019" in document["evidence"]["victim_age"]


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("an understandi\nng of", "an understanding\n of"),
        ("for all recommendatio\nn\nHome Office", "for all recommendation \nHome Office"),
        ("as the\nrapist", "as the\nrapist"),  # each piece a word: two words
        ("e.g. his\ne.g.", "e.g. his\ne.g."),
    ],
)
def test_a_word_broken_without_a_hyphen_is_joined_where_its_pieces_are_no_words(text, whole):
    assert rejoined(text) == whole and len(whole) == len(text)


def test_a_new_pdf_is_rejoined_once_for_its_passages_and_its_reading(library, coordinator, monkeypatch):
    """Extraction rejoins a PDF's broken words; the reader reads that text, never rejoining it again (a long
    report paid the word-frequency look-ups twice). Passages an earlier release stored are rejoined when read."""
    import indexing.extract
    import indexing.reading.records

    texts: list[str] = []

    def counted(text: str) -> str:
        texts.append(text)
        return rejoined(text)

    monkeypatch.setattr(indexing.extract, "rejoined", counted)
    monkeypatch.setattr(indexing.reading.records, "rejoined", counted, raising=False)
    result = library.ingest(narrow_column_summary(), "amy.pdf", viewer=coordinator, kind="executive summary")
    assert len(texts) == 1
    found = reading.document_reading(library.store, coordinator, result.document_id)["recommendations"]
    assert [(r["number"], r["text"]) for r in found][:3] == [(number, text) for number, text, _ in NARROW]
    with library.store.write("test") as tx:  # passages as an earlier release stored them: the words broken
        for row in list(tx.db["chunks"].rows_where("document_id = ?", [result.document_id])):
            tx.db["chunks"].update(row["id"], {"text": row["text"].replace("understanding\n", "understand\ning")})
        tx.db.execute("UPDATE documents SET read_version = NULL")
    assert read_unread(library.store) == 1 and len(texts) == 2
    found = reading.document_reading(library.store, coordinator, result.document_id)["recommendations"]
    assert found[0]["text"] == NARROW[0][1]


WIDE = [
    (
        "7.1",
        "It is recommended that the practice considers how a question about abuse at home could become part of "
        "every review of a patient's repeat prescriptions",
        "GP practice",
    ),
    (
        "7.2",
        "It is recommended that staff who add a letter from another service to a patient's record also tell the "
        "patient's doctor about it by telephone, email or a task on the record.",
        "All staff who write in a patient's record",
    ),
    ("7.3", "It is recommended that the Government extends the stalking protection order to online contact.", ""),
]


def test_a_pdf_tables_wide_column_gives_each_cell_and_names_written_in_words():
    """A table whose recommendation column takes most of the page (its lines longer than a narrow column's), a
    text with no full stop before its agency's cell, and agencies named in words over two lines."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(
        0,
        6,
        "Executive summary\n\nThe review found that the practice and the community mental health team each held "
        "part of what the victim had said about her husband, and that neither asked her about it when she was seen "
        "alone.\n\n"
        "Recommendations",
    )
    with pdf.table(col_widths=(12, 110, 48), text_align="LEFT", v_align="TOP") as table:
        for values in [("No.", "Recommendation", "Agency"), *WIDE]:
            row = table.row()
            for value in values:
                row.cell(value or "Home Office")
    text = extract(bytes(pdf.output()), "summary.pdf").text
    assert max(len(line) for line in text.splitlines()[4:8]) > 60  # the cells' lines are wider than a narrow column's
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(text)] == [
        (number, text, addressee or "Home Office") for number, text, addressee in WIDE
    ]


def test_a_councils_word_action_plan_naming_several_bodies_offers_each_bodys_agency(
    library, coordinator, new_review, tmp_path
):
    """A plan's lead cell naming several bodies gives each listed agency it names, the addressee kept whole."""
    from recommendations import from_reports

    document = docx.Document()
    document.add_heading("DHR 'Rae' action plan", level=1)
    rows = [
        ("No.", "Recommendation", "Action to take", "Lead agency", "Target date"),
        (
            "1",
            "GP practices should see patients alone at least once a year.",
            "Audit notes.",
            "ICB; Cheshire East Domestic Abuse Partnership",
            "March 2025",
        ),
        (
            "2",
            "Officers and social workers should speak to each child present at a domestic incident.",
            "Joint briefing.",
            "Police and Children's Social Care",
            "June 2025",
        ),
    ]
    table = document.add_table(rows=1, cols=5)
    _fill(table, rows)
    document.save(tmp_path / "plan.docx")
    new_review("DHR-2025-06")
    library.ingest(
        (tmp_path / "plan.docx").read_bytes(),
        "plan.docx",
        viewer=coordinator,
        kind="action plan",
        access="confidential",
        review="DHR-2025-06",
    )
    offered = from_reports.report_recommendations(library.store, coordinator, "DHR-2025-06")
    assert [(r["addressee"], r["target_agencies"]) for r in offered] == [
        ("ICB; Cheshire East Domestic Abuse Partnership", ["Integrated Care Board (GP services)"]),
        ("Police and Children's Social Care", ["Police", "Children's Social Care"]),
    ]
