"""Recommendations read from reports that Word wrote and LibreOffice printed to PDF (#22, item 2), as
councils publish them: a table whose cells a PDF gives line by line in its column's width (a row cut by a
page break too), and "Recommendation 9.1 a:" paragraphs under a heading naming the body. Each is read
once, whole, with its own number; the wrapped lines of a paragraph are never read again as another."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

from indexing.extract import extract
from indexing.reading.recommendations import read_recommendations
from tests.indexing_helpers import make_pdf

TABLE = [
    (
        "4.1",
        "The partnership should run a campaign telling neighbours, colleagues and friends how to report "
        "concerns about controlling behaviour they witness.",
        "Northvale Community Safety Partnership",
    ),
    (
        "4.2",
        "Landlords in the borough should give tenancy officers guidance on noticing signs of abuse during "
        "routine visits and on referring tenants to the outreach service.",
        "Northvale Housing Providers",
    ),
]
PARAGRAPHS = [
    (
        "7.2 a",
        "There is a need for surgeries to record who attends appointments with a patient and to see the patient alone.",
    ),
    ("7.2 b", "There is a need for practice safeguarding leads to audit how often patients are asked about abuse."),
]


def printed(document: docx.Document, folder) -> str:
    """The text of ``document`` once LibreOffice has printed it to PDF, read as the library reads a PDF."""
    return extract(printed_pdf(document, folder), "report.pdf").text


def printed_pdf(document: docx.Document, folder) -> bytes:
    """``document`` as LibreOffice prints it to PDF, as councils publish their Word documents."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing: the test command must install it")
        pytest.skip("LibreOffice is not installed")
    document.save(folder / "report.docx")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(folder / "report.docx")],
        capture_output=True,
        timeout=300,
        env=os.environ | {"HOME": str(folder)},
        check=True,
    )
    return (folder / "report.pdf").read_bytes()


def report_with_a_table(rows_before_break: int = 0, rows=TABLE) -> docx.Document:
    document = docx.Document()
    document.add_heading("Executive summary of the review into the death of Dana", level=0)
    document.add_paragraph("Dana was killed by her partner in 2021. He was convicted of her murder.")
    for _ in range(rows_before_break):
        document.add_paragraph("The panel met six times and read every agency's chronology. " * 6)
    document.add_heading("Conclusions and recommendations", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Number", "Recommendation", "Lead agency"), strict=True):
        cell.text = title
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.add_heading("Glossary", level=1)
    document.add_paragraph("IDVA: Independent Domestic Violence Adviser, who supports victims at high risk of harm.")
    return document


def test_a_pdf_tables_wrapped_cells_give_each_recommendation_whole_with_its_addressee(tmp_path):
    found = read_recommendations(printed(report_with_a_table(), tmp_path))
    assert [(r.number, r.text, r.addressee) for r in found] == TABLE


def test_rows_whose_text_has_no_full_stop_stay_apart(tmp_path):
    unstopped = [(number, text.rstrip("."), addressee) for number, text, addressee in TABLE]
    found = read_recommendations(printed(report_with_a_table(rows=unstopped), tmp_path))
    assert [(r.number, r.text, r.addressee) for r in found] == unstopped


@pytest.mark.parametrize("paragraphs_before", [12, 13])  # the page breaks inside the second row, then the first
def test_a_row_a_page_break_cuts_keeps_its_text_whole_and_its_addressee(tmp_path, paragraphs_before):
    text = printed(report_with_a_table(paragraphs_before), tmp_path)
    table = text[text.index("Number Recommendation") : text.index("Glossary")]
    assert "\n\n" in table.strip()  # LibreOffice broke the page inside the table
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(text)] == TABLE


def test_lettered_recommendation_paragraphs_keep_their_number_and_are_read_once(tmp_path):
    document = docx.Document()
    document.add_heading("Report into the death of Eve", level=0)
    document.add_paragraph("Eve was killed by her husband in 2019.")
    document.add_heading("Recommendations for the Northvale Integrated Care Board", level=1)
    for number, text in PARAGRAPHS:
        document.add_paragraph(f"Recommendation {number}: {text}")
    found = read_recommendations(printed(document, tmp_path))
    assert [(r.number, r.text) for r in found] == PARAGRAPHS


MERGED = [
    (
        "6.1",
        "The trust should give every ward a named safeguarding lead. The lead should check each discharge plan for "
        "risks from a partner at home.",
        "Northvale Hospitals NHS Trust (NHT)",
    ),
    (
        "6.2",
        "That discharge letters say when a patient has disclosed abuse.",
        "Northvale Hospitals NHS Trust (NHT)",
    ),
    (
        "6.3",
        "The partnership should publish a leaflet for neighbours on reporting controlling behaviour.",
        "Northvale Community Safety Partnership",
    ),
]


def report_with_a_merged_agency_cell(paragraphs_before: int) -> docx.Document:
    """A table whose header repeats on each page, whose first agency cell is merged down over the next row."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = report_with_a_table(paragraphs_before, rows=MERGED)
    table = document.tables[0]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    table.rows[2].cells[2].text = ""
    table.rows[1].cells[2].merge(table.rows[2].cells[2])
    return document


@pytest.mark.parametrize("paragraphs_before", [0, 12])
def test_a_merged_agency_cell_addresses_every_row_it_spans_and_a_repeated_header_is_not_text(
    tmp_path, paragraphs_before
):
    text = printed(report_with_a_merged_agency_cell(paragraphs_before), tmp_path)
    if paragraphs_before:
        assert text.count("Number Recommendation") == 2  # the header printed again on the next page
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(text)] == MERGED


def test_a_name_cut_off_by_a_page_break_after_an_unfinished_line_is_still_the_text():
    text = (
        "Number Recommendation Lead agency\n"
        "3.1 The police should\nreview guidance relating to\nDomestic Abuse\nNorthvale Police\n\n"
        "Number Recommendation Lead agency\nProtection Notices and\ntrain officers in it.\n"
        "3.2 The council should\naudit tenancy visits.\nNorthvale Council\n"
    )
    found = read_recommendations(text)
    assert [(r.number, r.text, r.addressee) for r in found] == [
        (
            "3.1",
            "The police should review guidance relating to Domestic Abuse Protection Notices and train officers in it.",
            "Northvale Police",
        ),
        ("3.2", "The council should audit tenancy visits.", "Northvale Council"),
    ]


def test_a_recommendation_line_that_names_a_body_is_its_addressee_and_its_text_follows(tmp_path):
    document = docx.Document()
    document.add_heading("Executive summary", level=0)
    document.add_heading("Recommendations", level=1)
    document.add_paragraph("Recommendation 1: Northvale Police")
    document.add_paragraph("That officers record who else lives at an address each time they attend a call.")
    document.add_paragraph("Recommendation 2: Northvale Adult Social Care")
    document.add_paragraph("That carers are offered an assessment of their own. The offer should be recorded.")
    found = read_recommendations(printed(document, tmp_path))
    assert [(r.number, r.text, r.addressee) for r in found] == [
        ("1", "That officers record who else lives at an address each time they attend a call.", "Northvale Police"),
        (
            "2",
            "That carers are offered an assessment of their own. The offer should be recorded.",
            "Northvale Adult Social Care",
        ),
    ]


def test_a_body_named_on_the_recommendation_line_whose_sentence_goes_on_below_is_its_subject():
    """A PDF wrapped "Recommendation 3: <name> should ..." after the name: the text keeps its subject."""
    text = (
        "Recommendations\n"
        "Recommendation 3: Northvale Mental Health NHS Foundation Trust\n"
        "should consider, when a patient is a carer, the risk their mental ill health poses to\n"
        "the person they care for.\n"
        "Recommendation 4: Northvale Police\n"
        "That officers record who else lives at an address each time they attend a call.\n"
    )
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(text)] == [
        (
            "3",
            "Northvale Mental Health NHS Foundation Trust should consider, when a patient is a carer, the risk their "
            "mental ill health poses to the person they care for.",
            "Northvale Mental Health NHS Foundation Trust",
        ),
        ("4", "That officers record who else lives at an address each time they attend a call.", "Northvale Police"),
    ]


ACTION_PLAN = [
    (
        "1",
        "The partnership should run a campaign telling neighbours how to report concerns about controlling behaviour.",
        "Design the campaign with survivors and launch it in the spring.",
        "Northvale Community Safety Partnership",
        "March 2025",
    ),
    (
        "2",
        "Landlords should give tenancy officers guidance on noticing signs of abuse during visits.",
        "Write the guidance and train all tenancy officers.",
        "Northvale Housing",
        "June 2025",
    ),
    (
        "3",
        "GP practices should see patients alone at least once a year.",
        "Audit appointment notes in every practice.",
        "Northvale ICB",
        "December 2025",
    ),
]


def gridded_table(document, titles: tuple[str, ...], rows: list[tuple[str, ...]]):
    """A bordered table of ``titles`` over ``rows``, added to ``document``, as a council's report lays one out."""
    table = document.add_table(rows=1, cols=len(titles))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        cell.text = title
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    return table


def test_an_action_plans_five_columns_give_the_recommendation_and_its_lead_not_the_action_or_date(tmp_path):
    document = docx.Document()
    document.add_heading("Domestic Homicide Review Action Plan", level=0)
    gridded_table(document, ("No.", "Recommendation", "Action to take", "Lead agency", "Target date"), ACTION_PLAN)
    text = printed(document, tmp_path)
    assert "No. Recommendation" in text  # the narrow column broke the header's word ("Recommend" / "ation"): whole
    found = read_recommendations(text)
    assert [(r.number, r.text, r.addressee) for r in found] == [(n, t, lead) for n, t, _, lead, _ in ACTION_PLAN]


SUMMARY_PARAGRAPHS = [
    "Northvale Police should make sure that call handlers can see every earlier call from the same address before "
    "an officer is sent, and should audit this twice a year until the board is satisfied.",
    "Housing providers in the borough should train tenancy officers to notice signs of controlling behaviour during "
    "routine visits and to refer tenants to the outreach service the same day.",
    "The integrated care board should ask every practice to record who attends appointments with a patient and to "
    "see each patient alone at least once a year, reporting the results to the board.",
]


@pytest.mark.parametrize("paragraphs_before", [14, 15, 16])  # the page breaks before, inside and after them
def test_recommendation_paragraphs_cross_a_page_whole_and_without_its_footer(tmp_path, paragraphs_before):
    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = "OFFICIAL - Northvale DHR 12 executive summary"
    document.add_heading("Executive summary", level=0)
    for _ in range(paragraphs_before):
        document.add_paragraph(
            "The panel met six times and read every agency's chronology and the family's account. " * 3
        )
    document.add_heading("Recommendations", level=1)
    for number, text in enumerate(SUMMARY_PARAGRAPHS, start=1):
        document.add_paragraph(f"Recommendation {number}: {text}")
    text = printed(document, tmp_path)
    assert text.count("OFFICIAL - Northvale DHR 12 executive summary") >= 2
    found = read_recommendations(text)
    assert [(r.number, r.text) for r in found] == [(str(n), t) for n, t in enumerate(SUMMARY_PARAGRAPHS, start=1)]


TIMESCALED = [
    (
        "1",
        "The government should fund a national helpline for older victims of abuse by their adult children and "
        "report each year to Parliament on how many people it helped.",
        "Government",
        "",
    ),
    (
        "2",
        "We recommend that the government sets aside, by the end of year 3 of this plan, enough money for every "
        "partnership to commission an advocate for older victims.",
        "",  # the lead cell above merged down over this row
        "By the end of year 3",
    ),
    (
        "3",
        "We recommend that from 2026 to 2027, the departments for health and for work agree how a carer who "
        "discloses abuse is referred between their services.",
        "DHSC, DWP and MHCLG",
        "From 2026 to 2027",
    ),
    (
        "4",
        "We recommend that DHSC and the Office for Older People review how often carers' assessments ask about "
        "abuse in the home.",
        "DHSC and the Office for Older People",
        "",
    ),
]


def test_a_lead_cell_in_several_lines_and_a_timescale_in_words_after_it_are_read_apart(tmp_path):
    document = docx.Document()
    document.add_heading("Summary of recommendations", level=1)
    table = gridded_table(document, ("No.", "Recommendation", "Lead", "Timescale"), TIMESCALED)
    table.rows[1].cells[2].merge(table.rows[2].cells[2]).text = "Government"
    for column, width in zip(table.columns, (1.3, 9.5, 3.5, 2.7), strict=True):
        column.width = docx.shared.Cm(width)
    document.add_heading("List of Recommendations", level=1)
    for number, text, _, _ in TIMESCALED:
        document.add_paragraph(f"Recommendation {number}")  # its text in the paragraph under it
        document.add_paragraph(text)
    found = read_recommendations(printed(document, tmp_path))
    assert [(r.number, r.text, r.addressee, r.national) for r in found] == [
        ("1", TIMESCALED[0][1], "Government", True),
        ("2", TIMESCALED[1][1], "Government", True),
        ("3", TIMESCALED[2][1], "DHSC, DWP and MHCLG", True),
        ("4", TIMESCALED[3][1], "DHSC and the Office for Older People", True),
    ]


GROUPED = [
    ("1", "The partnership should review how the outreach service keeps in touch after separation.", "Northvale CSP"),
    ("2", "Northvale Police should record the victim's own answers to every DASH question.", "Northvale Police"),
    (
        "3",
        "The Home Office should amend the guidance so that panels examine child contact arrangements.",
        "Home Office",
    ),
    (
        "4",
        "The Ministry of Justice should ensure that family courts tell the police of a protective order.",
        "Ministry of Justice",
    ),
]


def report_with_group_rows() -> docx.Document:
    """A table whose rows are grouped under rows across it ("Local recommendations", "National recommendations"),
    after a heading's own numbered line that only introduces the table, as councils set them out."""
    document = docx.Document()
    document.add_heading("Overview report into the death of Fay", level=0)
    document.add_heading("6. Recommendations", level=1)
    document.add_paragraph("6.1 The recommendations below are set out with the agency to which each is addressed.")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("No.", "Recommendation", "Agency"), strict=True):
        cell.text = title
    for number, text, addressee in GROUPED:
        if number in ("1", "3"):
            row = table.add_row().cells
            row[0].merge(row[2]).text = "Local recommendations" if number == "1" else "National recommendations"
        for cell, value in zip(table.add_row().cells, (number, text, addressee), strict=True):
            cell.text = value
    return document


def test_rows_across_a_table_that_group_its_recommendations_neither_end_it_nor_join_a_row(tmp_path):
    document = report_with_group_rows()
    document.save(tmp_path / "grouped.docx")
    word = extract((tmp_path / "grouped.docx").read_bytes(), "grouped.docx").text
    for text in (word, printed(document, tmp_path)):
        found = read_recommendations(text)
        assert [(r.number, r.text, r.addressee) for r in found] == GROUPED
        assert [r.national for r in found] == [False, False, True, True]


def test_a_one_line_text_a_page_break_cuts_gives_the_agency_cell_printed_beside_it_to_the_name():
    """A PDF gives a cell's one line before the break and the agency cell's first line as one line; the rest of the
    text, then of the name, follow the break."""
    text = (
        "No. Recommendation Agency\n"
        "8 NHS England should issue guidance to ambulance\ntrusts on recording concerns seen at a home.\nNHS England\n"
        "9 The Department for Work and Pensions should Department for\n\n"
        "ensure that work coaches are trained to recognise\neconomic abuse.\nWork and\nPensions\n"
        "10 The Ministry of Justice should ensure that family\ncourts tell the police of every order.\n"
        "Ministry of Justice\n"
    )
    found = read_recommendations(text)
    assert [(r.number, r.addressee) for r in found] == [
        ("8", "NHS England"),
        ("9", "Department for Work and Pensions"),
        ("10", "Ministry of Justice"),
    ]
    assert found[1].text == (
        "The Department for Work and Pensions should ensure that work coaches are trained to recognise economic abuse."
    )


def test_a_recommendations_lettered_parts_after_its_colon_are_its_text(tmp_path):
    document = docx.Document()
    document.add_heading("Executive summary: Gwen", level=0)
    document.add_heading("Recommendations", level=1)
    document.add_paragraph(
        "Recommendation 1: Northvale Adult Social Care should ensure that safeguarding enquiries consider abuse by "
        "adult family members, and in particular:"
    )
    document.add_paragraph("a) that the older person is seen alone at least once;")
    document.add_paragraph("b) that the carer's own needs are assessed.")
    document.add_paragraph(
        "Recommendation 2: The Home Office should publish guidance on reviews of adult family homicide."
    )
    document.save(tmp_path / "summary.docx")
    for text in (extract((tmp_path / "summary.docx").read_bytes(), "summary.docx").text, printed(document, tmp_path)):
        found = read_recommendations(text)
        assert [(r.number, r.addressee) for r in found] == [("1", "Northvale Adult Social Care"), ("2", "Home Office")]
        assert found[0].text.endswith(
            "in particular: a) that the older person is seen alone at least once; b) that the carer's own needs are "
            "assessed."
        )
        assert found[1].text.endswith("adult family homicide.")


def test_numbered_recommendations_lettered_parts_join_it_and_lettered_recommendations_stay_apart():
    parts = read_recommendations(
        "Recommendations\n1. The partnership should raise awareness, including:\na) a campaign for neighbours;\n"
        "b) guidance for faith groups.\n2. The police should train officers in coercive control.\n"
    )
    assert [(r.number, r.text) for r in parts] == [
        (
            "1",
            "The partnership should raise awareness, including: a) a campaign for neighbours; b) guidance for faith "
            "groups.",
        ),
        ("2", "The police should train officers in coercive control."),
    ]
    apart = read_recommendations(
        "Recommendations\na) The police should train officers in coercive control;\n"
        "b) The partnership should run a campaign for neighbours.\n"
    )
    assert [r.number for r in apart] == ["a)", "b)"]


@pytest.mark.parametrize("last", SUMMARY_PARAGRAPHS[1:] + ["Northvale Police should audit repeat calls each year."])
def test_a_paragraph_after_the_last_recommendation_paragraph_of_a_pdf_is_not_its_text(last):
    """A PDF gives paragraphs without a blank line between them: the one after the last "Recommendation N:"
    (its line opening with a capital, the recommendation's ending a sentence short of its width) is not its text."""
    recommendations = [SUMMARY_PARAGRAPHS[0], last]
    lines = [f"Recommendation {number}: {text}" for number, text in enumerate(recommendations, start=1)]
    pdf = make_pdf(["Executive summary\nRecommendations\n" + "\n".join(lines) + "\nThe panel considered the plans."])
    found = read_recommendations(extract(pdf, "summary.pdf").text)
    assert [(r.number, r.text) for r in found] == [("1", SUMMARY_PARAGRAPHS[0]), ("2", last)]


WIDE_PLAN = [
    (
        "R1. Northvale Police should ensure that every officer who attends a domestic abuse incident at an address "
        "where children live refers them to children's services on the same day.",
        "Local",
        "a) Brief all response officers.\nb) Audit a sample of incidents each quarter.",
        "Northvale Police",
        "Briefing issued; first audit reported",
        "March 2026",
        "Every child at an address is referred the same day",
    ),
    (
        "R2. The Home Office should issue guidance on how reviews involve the families of perpetrators who take "
        "their own life after a killing.",
        "National",
        "The chair to write to the Home Office enclosing the report.",
        "Home Office",
        "Letter sent",
        "On publication",
        "National guidance is issued",
    ),
]


AGENCY_FIRST = [
    (
        "1",
        "Northvale Police",
        "Northvale Police should ensure that officers attending a domestic abuse incident complete the risk "
        "assessment with the victim on her own, away from the alleged perpetrator.",
        "3 months",
    ),
    (
        "2",
        "Northvale Police",
        "Northvale Police should review how breaches of bail conditions are recorded and escalated to the officer "
        "in charge of the investigation.",
        "6 months",
    ),
    (
        "3",
        "Home Office",
        "The Home Office should issue guidance requiring police forces to tell victims promptly of the bail "
        "conditions imposed on the person who harmed them, and of any change to those conditions.",
        "National",
    ),
    (
        "4",
        "Department for Work and Pensions",
        "The Department for Work and Pensions should review how a Universal Credit claim made jointly with an "
        "abusive partner can be split quickly and safely when the victim leaves, and should say who in the "
        "Department decides, how soon the first separate payment is made, and how the victim's new address is "
        "kept from the partner who made the claim with her.",
        "12 months",
    ),
]


def test_a_landscape_action_plans_many_columns_give_each_recommendation_once_not_its_steps(tmp_path):
    document = docx.Document()
    document.add_heading("Recommendations", level=1)
    document.add_paragraph("5.1 The Review Panel makes the following recommendations, set out in the action plan.")
    document.add_paragraph("5.2 The action plan sets out how each agency will deliver these recommendations.")
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading("Appendix A: Action Plan", level=1)
    titles = ("Recommendation", "Scope (local / regional / national)", "Action to take", "Lead agency",
              "Key milestones", "Target date", "Outcome")  # fmt: skip
    table = gridded_table(document, titles, WIDE_PLAN)
    table.autofit = False
    for column, width in zip(table.columns, (7.0, 2.0, 4.2, 3.0, 3.2, 2.1, 3.0), strict=True):
        column.width = Cm(width)  # the recommendation's column the widest, as councils set it
        for cell in column.cells:
            cell.width = Cm(width)
    found = read_recommendations(printed(document, tmp_path))
    assert [(r.number, r.text, r.addressee, r.national) for r in found] == [
        (row[0][:2], row[0][4:], row[3], row[1] == "National") for row in WIDE_PLAN
    ]


def test_an_action_plan_row_a_page_break_cuts_after_its_scope_cell_keeps_its_text_whole():
    # a PDF's lines: the scope, action, lead, milestone, date and outcome cells printed before the page break, the
    # rest of the recommendation's text after it; a date cell's empty line among them
    text = (
        "Recommendation Scope\n(local /\nregional /\nnational)\nAction to take Lead agency Key\nmilestones\n"
        "Target\ndate\nOutcome\n"
        "R1. Northvale Police should\nbrief every response officer.\nLocal Issue a briefing.\nNorthvale\nPolice\n"
        "Briefing issued\nMarch\n \n2026\nOfficers briefed\n"
        "R2. Northvale Safer\nCommunities Partnership should\ncommission training for\nemployers on responding to\n"
        "abuse among their\nLocal Commission a\nprovider.\nNorthvale\nSafer\nCommunities\nPartnership\n"
        "Provider\nappointed\nDecember\n2026\nEmployers\nknow how to\nrespond\n\n"
        "staff.\n"
        "R3. The Home Office should\nissue guidance on reviews.\nNational\nThe chair to\nwrite.\n"
        "Home Office Letter sent On\npublication\nGuidance\nissued\n"
    )
    found = read_recommendations(text)
    assert [(r.number, r.text, r.addressee) for r in found] == [
        ("R1", "Northvale Police should brief every response officer.", "Northvale Police"),
        (
            "R2",
            "Northvale Safer Communities Partnership should commission training for employers on responding to abuse "
            "among their staff.",
            "Northvale Safer Communities Partnership",
        ),
        ("R3", "The Home Office should issue guidance on reviews.", "Home Office"),
    ]


def report_with_the_agency_column_first(paragraphs_before: int) -> docx.Document:
    """'No. | Agency | Recommendation | Timescale', the police's cell merged over their two rows, the header printed
    once: each recommendation's text opens with the name its agency cell holds."""
    document = docx.Document()
    document.add_heading("Overview report into the death of Joanne", level=0)
    for _ in range(paragraphs_before):
        document.add_paragraph("The panel met six times and read every agency's chronology. " * 6)
    document.add_heading("Recommendations", level=1)
    table = gridded_table(document, ("No.", "Agency", "Recommendation", "Timescale"), AGENCY_FIRST)
    table.rows[1].cells[1].merge(table.rows[2].cells[1]).text = "Northvale Police"
    return document


@pytest.mark.parametrize("paragraphs_before", [0, 4])  # a page break inside the last row, between two rows
def test_a_table_whose_agency_column_comes_first_gives_each_text_without_its_agency_cell_or_timescale(
    tmp_path, paragraphs_before
):
    document = report_with_the_agency_column_first(paragraphs_before)
    expected = [(number, text, agency) for number, agency, text, _ in AGENCY_FIRST]
    document.save(tmp_path / "report.docx")
    word = extract((tmp_path / "report.docx").read_bytes(), "report.docx").text
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(word)] == expected
    pdf = printed(document, tmp_path)
    assert [(r.number, r.text, r.addressee) for r in read_recommendations(pdf)] == expected


THEMED = [
    (
        "Information sharing",
        "1",
        "Northvale Police should tell the GP of every domestic abuse call-out to a patient's home.",
    ),
    (
        "Training",
        "2",
        "The Northvale Safeguarding Partnership should train receptionists to notice a partner who speaks for "
        "a patient.",
    ),
]


def report_with_themes_and_single_agency_items() -> docx.Document:
    document = docx.Document()
    document.add_heading("Recommendations", level=1)
    document.add_heading("Multi-agency recommendations", level=2)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Theme", "Recommendation"
    for theme, number, text in THEMED:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = theme, f"{number}. {text}"
    document.add_heading("Single agency recommendations", level=2)
    document.add_paragraph(
        "3. That Northvale Adult Social Care reviews how it records a carer's account of a service user's injuries, "
        "so that the service user is always asked as well."
    )
    document.add_paragraph("4. Northvale Housing must check the tenancy files of every tenant it moves for safety.")
    document.add_paragraph("The housing team should report the result of those checks to the partnership in a year.")
    document.add_paragraph("5. That NHS England considers guidance on recording who attends with a patient.")
    return document


def test_a_table_whose_first_column_is_the_theme_gives_each_recommendation_its_own_number(tmp_path):
    """ "Theme | Recommendation", the number inside the text's cell: in the Word file and once printed to PDF (the
    theme's words before each row's number), the single agency items after it each read once, and a paragraph
    between two items that asks something is the item above's."""
    document = report_with_themes_and_single_agency_items()
    buffer = io.BytesIO()
    document.save(buffer)
    for text in (extract(buffer.getvalue(), "report.docx").text, printed(document, tmp_path)):
        found = {r.number: r for r in read_recommendations(text)}
        assert list(found) == ["1", "2", "3", "4", "5"]
        assert [found[n].text for n in ("1", "2")] == [t for _, _, t in THEMED]
        assert found["2"].addressee == "Northvale Safeguarding Partnership"
        assert found["4"].text.endswith("to the partnership in a year.")
        assert found["5"].national and found["5"].addressee == "NHS England"


def test_recommendation_one_headings_a_summary_table_and_an_officers_action_plan_give_each_once_with_its_body():
    """The summary's table with no header, "Recommendation One" headings over the text with its lettered parts, and
    an action plan whose Responsible officer column holds a job title: each recommendation once, whole, addressed to
    the body it asks (a job title is nobody's name)."""
    asks = (
        "Northvale Adult Social Care should revise its carers' assessments so that: (a) the cared-for person is seen "
        "alone; and (b) any fear they express is recorded."
    )
    text = "\n\n".join(
        [
            "Executive summary",
            f"1 | {asks}",
            "Recommendations",
            "Recommendation One",
            "Northvale Adult Social Care should revise its carers' assessments so that:",
            "(a) the cared-for person is seen alone; and",
            "(b) any fear they express is recorded.",
            "Appendix B: Action plan",
            "No. | Recommendation | Responsible officer | Target date\n"
            f"1 | {asks} | Principal Social Worker, Northvale Adult Social Care | March 2027",
        ]
    )
    (found,) = read_recommendations(text)
    assert (found.number, found.text, found.addressee) == ("1", asks, "Northvale Adult Social Care")


def test_a_running_header_and_a_numbered_footer_are_no_part_of_a_row_a_page_break_cuts():
    """A LibreOffice PDF prints the page's header (wrapped over two lines) and its "Page N" footer on every page: a
    row cut by the break loses neither to them, a row after a sub-section's last one ("6.3.1" after "6.2.1") starts
    its own, and an agency cell naming two bodies over several lines is the row's addressee."""
    text = (
        "Hollowbrook Safety Partnership Domestic Homicide\nReview: Ada\n"
        "# Recommendation Addressed to\n"
        "6.1.1 Outreach workers\nshould visit farms\nwhere seasonal staff\nlive on site.\nOutreach Service\n"
        "6.1.2 That the surgery\nshould record\nMultiple Agencies\nPublished May 2025. Page 1\n\n"
        "Hollowbrook Safety Partnership Domestic Homicide\nReview: Ada\n"
        "who attends with\nthe patient.\n"
        "6.2.1 To agree with\nthe police a way to\nflag a victim who\nworks on a farm\nHollowbrook\nCollege; East\n"
        "Vale Police\n"
        "6.3.1 East Vale Police\nto share safeguarding\nnotes with the college.\nEast Vale Police\n"
        "Published May 2025. Page 2"
    )
    found = read_recommendations(text)
    assert [(r.number, r.text, r.addressee) for r in found] == [
        ("6.1.1", "Outreach workers should visit farms where seasonal staff live on site.", "Outreach Service"),
        ("6.1.2", "That the surgery should record who attends with the patient.", "Multiple Agencies"),
        (
            "6.2.1",
            "To agree with the police a way to flag a victim who works on a farm",
            "Hollowbrook College; East Vale Police",
        ),
        ("6.3.1", "East Vale Police to share safeguarding notes with the college.", "East Vale Police"),
    ]


def test_responses_printed_under_each_numbered_recommendation_are_not_their_text():
    """An annex of recommendations to one body, each followed by "<body> response:", on pages with a running header;
    the numbers are not consecutive (others went to other bodies)."""
    text = (
        "Annex B: Wexcombe Council response to the\nreview's recommendations\n"
        "Recommendations to the council\n"
        "2. The council should publish its housing allocation rules for people\nleaving refuge.\n"
        "Council response: The rules were published in May.\n"
        "Wexcombe Council Page 1\n\n"
        "Annex B: Wexcombe Council response to the\nreview's recommendations\n"
        "6. The council should train its housing officers to ask about abuse.\n"
        "Council response: Training began in June.\n"
        "Wexcombe Council Page 2"
    )
    found = read_recommendations(text)
    assert [(r.number, r.text) for r in found] == [
        ("2", "The council should publish its housing allocation rules for people leaving refuge."),
        ("6", "The council should train its housing officers to ask about abuse."),
    ]
