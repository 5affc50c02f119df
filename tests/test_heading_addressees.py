"""Addressees named only by the layout of a report (#22, item 2): a heading above a body's recommendations
("Home Office"), a lead-in ("The following recommendations are for Northvale Police:", "Agency: ..."), a table's
agency cell merged down across several rows; each within its own section only, and never a heading that names
no one. Reports are built here as Word files (and printed to PDF by LibreOffice, as councils publish them) with
invented names; the real fragments in ../shared/corpus/dhr keep their readings."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from core.agencies import DEFAULT_AGENCIES
from indexing.extract import extract
from indexing.reading.addressees import body_heading, national_body
from indexing.reading.recommendations import read_recommendations
from indexing.reading.records import matched_agencies, matched_agency
from tests.test_report_pdf_layouts import printed

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"

NATIONAL = [
    (
        "Department for Work and Pensions (DWP)",
        "14.1",
        "The DWP to ensure that jobcentre staff can refer claimants who disclose abuse.",
    ),
    (
        "Home Office",
        "14.2",
        "The Home Office to extend the duty to have regard to the guidance to every government department.",
    ),
]
LOCAL = (
    "Northvale Police",
    "14.3",
    "Officers attending a call about a breach of bail to check the caller's history first.",
)


def word_text(document: docx.Document) -> str:
    data = io.BytesIO()
    document.save(data)
    return extract(data.getvalue(), "report.docx").text


def report_with_agency_headings() -> docx.Document:
    document = docx.Document()
    document.add_heading("Northvale Community Safety Partnership: Overview Report", level=0)
    document.add_heading("13. Conclusions", level=1)
    document.add_paragraph("Agencies did not share what they knew about the risk he posed.")
    document.add_heading("14. Recommendations", level=1)
    document.add_heading("National recommendations", level=2)
    for heading, number, text in NATIONAL:
        document.add_heading(heading, level=3)
        document.add_paragraph(f"{number} {text}")
    document.add_heading("Local recommendations", level=2)
    document.add_heading(LOCAL[0], level=3)
    document.add_paragraph(f"{LOCAL[1]} {LOCAL[2]}")
    document.add_heading("15. Glossary", level=1)
    document.add_paragraph("DWP: Department for Work and Pensions, which pays most benefits.")
    return document


EXPECTED = [
    ("14.1", NATIONAL[0][2], "Department for Work and Pensions (DWP)", True),
    ("14.2", NATIONAL[1][2], "Home Office", True),
    ("14.3", LOCAL[2], "Northvale Police", False),
]


def test_a_heading_naming_a_body_addresses_the_recommendations_under_it_in_a_word_file():
    found = read_recommendations(word_text(report_with_agency_headings()))
    assert [(r.number, r.text, r.addressee, r.national) for r in found] == EXPECTED


def test_the_same_report_printed_to_pdf_reads_the_same(tmp_path):
    found = read_recommendations(printed(report_with_agency_headings(), tmp_path))
    assert [(r.number, r.text, r.addressee, r.national) for r in found] == EXPECTED


def test_a_lead_in_line_names_the_body_and_the_next_heading_ends_it():
    text = (
        "12. Recommendations\n\n"
        "The following recommendations are for Northvale Police:\n\n"
        "12.1 A supervisor to review every report of stalking within a day.\n\n"
        "12.2 Call handlers to be trained to recognise a course of conduct.\n\n"
        "Agency: Northvale Mental Health NHS Trust\n\n"
        "12.3 Care coordinators to ask patients' partners directly about abuse.\n\n"
        "Lessons learned\n\n"
        "Recommendations\n\n"
        "13.1 Practitioners to record who attends an appointment with a patient.\n"
    )
    found = {r.number: r.addressee for r in read_recommendations(text)}
    assert found == {
        "12.1": "Northvale Police",
        "12.2": "Northvale Police",
        "12.3": "Northvale Mental Health NHS Trust",
        "13.1": "",  # a later section: the heading above the first does not reach it
    }


def test_a_to_line_names_several_bodies_and_one_it_cannot_read_still_ends_the_one_before():
    text = (
        "Recommendations\n\nTo the Northvale Commissioner of Police\n\n"
        "1. That the Northvale Police Force develop a framework for training in domestic abuse policing.\n\n"
        "To the Risk Working Group, the Northvale Domestic Abuse Board, and the Northvale Commissioner of Police\n\n"
        "2. That consideration be given to how criminal history from other forces can be read by officers.\n\n"
        "To whoever commissions local services in each of the areas concerned\n\n"
        "3. That outreach services for older victims be commissioned in every district of the county.\n"
    )
    assert [r.addressee for r in read_recommendations(text)] == [
        "Northvale Commissioner of Police",
        "Risk Working Group, the Northvale Domestic Abuse Board, and the Northvale Commissioner of Police",
        "",
    ]


@pytest.mark.parametrize(
    "heading, body",
    [
        ("Home Office", "Home Office"),
        ("Recommendations for NHS England", "NHS England"),
        ("Recommendations to the Home Office", "Home Office"),
        (
            "The following recommendations are for the Northvale Safeguarding Adults Board:",
            "Northvale Safeguarding Adults Board",
        ),
        ("Agency: Northvale Partnership NHS Trust", "Northvale Partnership NHS Trust"),
        ("Mayor’s Office for Policing and Crime (MOPAC)", "Mayor’s Office for Policing and Crime (MOPAC)"),
        ("Northvale & Eastmarsh (N&E) Public Health", "Northvale & Eastmarsh (N&E) Public Health"),
        # headings that name no one
        ("Training", ""),
        ("Information Sharing", ""),
        ("Multi-Agency Recommendations", ""),
        ("Recommendations for the future", ""),
        ("Offender Managers", ""),
        ("Northvale Police should review its policy.", ""),
    ],
)
def test_only_a_heading_that_reads_as_an_organisation_names_an_addressee(heading, body):
    assert body_heading(heading) == body


def test_a_heading_that_names_no_one_leaves_the_addressee_to_the_text():
    text = (
        "Recommendations\n\nTraining\n\n1. Northvale Police should train call handlers on stalking.\n\n"
        "2. Practitioners should record who attends appointments with a patient.\n"
    )
    assert [r.addressee for r in read_recommendations(text)] == ["Northvale Police", ""]


def table_with_merged_agency() -> docx.Document:
    document = docx.Document()
    document.add_heading("Recommendations", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Ref", "Recommendation", "Agency"), strict=True):
        cell.text = title
    rows = [
        (
            "R1",
            "Supervisors should review every high risk domestic abuse investigation within a week.",
            "Northvale Police",
        ),
        ("R2", "All officers and staff should complete training on coercive control each year.", "Northvale Police"),
        (
            "R3",
            "The refuge should record in writing any change to the service it is commissioned to give.",
            "Northvale Refuge",
        ),
    ]
    for number, text, agency in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = number, text, agency
    table.rows[2].cells[2].text = ""
    table.rows[1].cells[2].merge(table.rows[2].cells[2])
    table.rows[1].cells[2].text = "Northvale Police"
    return document


def test_an_agency_cell_merged_down_across_rows_addresses_each_row():
    text = word_text(table_with_merged_agency())
    assert (
        "R2 | All officers and staff should complete training on coercive control each year. | Northvale Police" in text
    )
    found = {r.number: r.addressee for r in read_recommendations(text)}
    assert found == {"R1": "Northvale Police", "R2": "Northvale Police", "R3": "Northvale Refuge"}


def test_a_numbered_closing_heading_and_a_contents_entry_are_not_recommendations():
    text = (
        "Contents\n\n4) RECOMMENDATIONS\n\n31\n\nPage 2\n\n"
        "2 Government Protective Marking Scheme: RESTRICTED papers\n\n"
        "3. Recommendations\n\n1. Northvale Council should publish its domestic abuse policy for tenants.\n\n"
        "4. Glossary\n\nMARAC: Multi-Agency Risk Assessment Conference, held every fortnight.\n"
    )
    found = read_recommendations(text)
    assert [(r.number, r.addressee) for r in found] == [("1", "Northvale Council")]


def test_a_word_a_pdf_broke_after_its_hyphen_is_joined_whole():
    text = "Recommendations\n\n1. The police should review the decision-\nmaking in high risk cases and record it.\n"
    (found,) = read_recommendations(text)
    assert found.text == "The police should review the decision-making in high risk cases and record it."


def test_a_real_overview_reports_contents_list_opens_no_recommendations():
    found = read_recommendations((DHR / "39_warwickshire-mary-overview-report.txt").read_text(encoding="utf-8"))
    assert not any("Protective Marking" in r.text for r in found)


def test_a_national_body_has_one_name_however_a_report_spells_it():
    assert (
        national_body("The DWP to ensure ...")
        == national_body("the Department for Work and Pensions")
        == ("Department for Work and Pensions")
    )
    assert national_body("the MoJ and HMPPS") == "Ministry of Justice"
    assert national_body("UK Government to legislate") == "HM Government"
    assert national_body("Northvale Police") is None


@pytest.mark.parametrize(
    "addressee, agency",
    [
        ("Eastmarsh Hospitals NHS Foundation Trust", "Acute Hospital Trust"),
        ("Northvale Constabulary", "Police"),
        ("Sussex Partnership NHS Foundation Trust", "Mental Health Trust"),
        ("the Probation Service", "Probation Service"),
        ("Northvale County Council Adult Social Care", "Adult Social Care"),
        ("Northvale Children’s Services", "Children's Social Care"),
        ("NHS Northvale Integrated Care Board", "Integrated Care Board (GP services)"),
        ("Northvale Clinical Commissioning Group", "Integrated Care Board (GP services)"),
        ("GP Practice", "Integrated Care Board (GP services)"),
        ("South Northvale Homes", "Housing"),
        ("Riverside Housing Association", "Housing"),  # a landlord, not the sector's body
        ("South Central Ambulance Service NHS Foundation Trust", "Ambulance Service"),
        ("Kent Police", "Police"),  # the name itself, before any kind
        # no kind, several kinds, several bodies, or a national body: no agency rather than a wrong one
        ("Northvale County Council", None),
        ("Northvale Community Safety Partnership", None),
        ("Gloucestershire Health and Care NHS Foundation Trust", None),
        ("Northvale Care Homes", None),
        ("Southampton City Clinical Commissioning Group; other agencies", None),
        ("Northvale Hospitals NHS Trust and Northvale Constabulary", None),
        ("Homes England", None),
        ("College of Policing", None),
        ("Ministry of Housing, Communities and Local Government", None),  # national: never the local "Housing"
        ("Department for Levelling Up, Housing and Communities", None),
        ("Department for Education", None),
        ("HM Prison and Probation Service", None),
        ("Chartered Institute of Housing", None),  # a sector's body, though its name holds an agency's
        ("Association of Directors of Adult Social Services", None),
        ("Northvale mental health providers and commissioners", None),
    ],
)
def test_an_addressee_named_in_full_is_the_workspaces_one_agency_of_its_kind(addressee, agency):
    assert matched_agency(addressee, list(DEFAULT_AGENCIES)) == agency


def test_no_agency_of_a_kind_two_workspace_agencies_share():
    agencies = [*DEFAULT_AGENCIES, "Northvale Community Hospital Trust"]
    assert matched_agency("Eastmarsh Hospitals NHS Foundation Trust", agencies) is None
    assert matched_agency("Northvale Constabulary", [*agencies, "British Transport Police"]) is None
    assert matched_agency("Northvale Constabulary", agencies) == "Police"
    assert matched_agency("northvale housing association", [*agencies, "Northvale Housing Association"]) == (
        "Northvale Housing Association"  # an agency of its very name
    )
    assert matched_agency("Home Office", [*agencies, "Home Office"]) == "Home Office"  # a national body listed


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("The government should fund a national helpline for older victims.", "Government"),
        ("We recommend that the government sets aside money for advocates.", "Government"),
        ("That government departments share their data with partnerships.", ""),
        ("We recommend that from 2026 to 2027, DHSC agree a referral pathway for carers.", "DHSC"),
        ("We recommend that DHSC, DWP and MHCLG fund advocates fairly.", "DHSC, DWP and MHCLG"),
        (
            "We recommend that DHSC and the Office for Older People review carers' assessments.",
            "DHSC and the Office for Older People",
        ),
        ("That Northvale Police and partner agencies review their referral forms.", "Northvale Police"),
        # an aside that names another body is not the addressee
        ("Northvale Police, in partnership with Northvale Council, should review its forms.", "Northvale Police"),
        ("Northvale Police, including its control room, should record every call.", "Northvale Police"),
        ("That the Northvale ICB, which commissions GP services, ensures practices ask about abuse.", "Northvale ICB"),
        ("That NHS England, including the Northvale ICB, funds IRIS in every practice.", "NHS England"),
        # a group or service its capitals begin and a common noun ends, and a service provided by a named body
        ("The MASH operational group should meet weekly.", "The MASH operational group"),
        ("The IDVA service must record who was present.", "The IDVA service"),
        (
            "The school nursing service, provided by Eastby Healthcare NHS Trust, should ask about abuse.",
            "Eastby Healthcare NHS Trust",
        ),
        ("The school nursing service should ask about abuse.", ""),
    ],
)
def test_a_recommendations_own_words_name_its_body(text, addressee):
    from indexing.reading.addressees import addressee_in

    assert addressee_in(text) == addressee


def test_items_under_agency_sub_headings_a_bilingual_heading_and_a_national_heading():
    text = (
        "8. Casgliadau / Conclusions\n\n"
        "8.1 The panel concluded that agencies should have seen her alone.\n\n"
        "9. Argymhellion / Recommendations\n\n"
        "9.0 The panel's recommendations are set out below under the agency that is to act on them.\n\n"
        "Dyfed-Powys Police\n\n"
        "9.1.1 Review how call handlers record who else is present at an address.\n\n"
        "Hywel Dda University Health Board\n\n"
        "9.2.1 Ask patients who live with an older parent whether they give or receive care.\n\n"
        "National\n\n"
        "9.3.1 The Home Office should add the killing of a parent by an adult child to the statutory guidance.\n\n"
        "Atodiad 1 / Appendix 1: Terms of Reference\n\n"
        "The review will consider the contact agencies had with the family between 2020 and 2025.\n"
    )
    found = [(r.number, r.addressee, r.national, r.text.split()[-1]) for r in read_recommendations(text)]
    assert found == [
        ("9.1.1", "Dyfed-Powys Police", False, "address."),
        ("9.2.1", "Hywel Dda University Health Board", False, "care."),
        ("9.3.1", "Home Office", True, "guidance."),
    ]


def test_a_lead_agency_line_under_each_item_names_that_items_body():
    text = (
        "Recommendations\n\n"
        "DHR1 Ask young people leaving care about their relationships when they are offered a tenancy.\n\n"
        "Lead agency: Northvale Council Housing Services\n\nTarget date: September 2026\n\n"
        "DHR2 Explain to young people who report stalking how and why to report each incident.\n\n"
        "Lead agency: Northvale Police\n\nTarget date: June 2026\n\n"
        "Learning\n\nYoung people who have left care may have no one to turn to.\n"
    )
    found = [(r.number, r.addressee, r.text) for r in read_recommendations(text)]
    assert found == [
        ("DHR1", "Northvale Council Housing Services", text.split("\n")[2].removeprefix("DHR1 ")),
        ("DHR2", "Northvale Police", text.split("\n")[8].removeprefix("DHR2 ")),
    ]


def test_roman_numbered_paragraphs_name_every_body_they_ask_and_a_closing_finding_is_not_one():
    # a PDF's lines: no blank line between paragraphs
    text = (
        "Recommendations\n"
        "i. That the ICB ensures that GP practices can refer male victims of domestic abuse to a\n"
        "service that supports men. The Northvale Domestic Abuse Partnership should publicise that\n"
        "service to every practice.\n"
        "ii. It is recommended that Northvale Police review how officers assess risk when the\n"
        "person reporting abuse is an older man.\n"
        "The panel found that each agency treated his injuries as a health matter. The lesson is that\n"
        "professionals should not assume that an older man cannot be a victim of domestic abuse.\n"
    )
    found = [(r.number, r.addressee, " ".join(r.text.split()[-2:])) for r in read_recommendations(text)]
    assert found == [
        ("i", "ICB; Northvale Domestic Abuse Partnership", "every practice."),
        ("ii", "Northvale Police", "older man."),
    ]


def test_rec_numbers_are_the_recommendations_numbers_and_a_later_will_is_no_ask():
    text = (
        "Recommendations\n\n"
        "Rec. 1 Northvale Citizens Advice should train its debt advisers to recognise economic abuse.\n\n"
        "Rec. 2 The Department for Work and Pensions should train work coaches to refer claimants who disclose "
        "abuse. Local authorities will also need to fund the specialist support they are referred to.\n"
    )
    found = [(r.number, r.addressee, r.national) for r in read_recommendations(text)]
    assert found == [("1", "Northvale Citizens Advice", False), ("2", "Department for Work and Pensions", True)]


@pytest.mark.parametrize("bullet, gap", [("\uf0b7 ", ""), ("• ", "\n")])  # a PDF's Symbol bullet, a Word file's
def test_unnumbered_bullets_after_the_panels_lead_in_are_each_a_recommendation(bullet, gap):
    text = (
        f"5. Recommendations\n{gap}5.1 The Review Panel makes the following recommendations:\n{gap}"
        f"{bullet}Northvale Police should refer every child at an address to children's services on the same\n"
        f"day.\n{gap}{bullet}That Northvale Children's Services review how school referrals are screened.\n{gap}"
        "5.2 The action plan sets out how each agency will deliver these\nrecommendations.\n"
    )
    found = [(r.number, r.addressee, r.text.split()[-1]) for r in read_recommendations(text)]
    assert found == [("1", "Northvale Police", "day."), ("2", "Northvale Children's Services", "screened.")]


@pytest.mark.parametrize(
    ("addressee", "agencies"),
    [
        ("ICB; Cheshire East Domestic Abuse Partnership", ["Integrated Care Board (GP services)"]),
        ("Police and Children's Social Care", ["Police", "Children's Social Care"]),
        ("Northvale Hospitals NHS Trust and Northvale Constabulary", ["Acute Hospital Trust", "Police"]),
        ("Southampton City Clinical Commissioning Group; other agencies", ["Integrated Care Board (GP services)"]),
        ("Police, Adult Social Care and Housing", ["Police", "Adult Social Care", "Housing"]),
        ("Police & Probation", ["Police", "Probation Service"]),
        ("Barnet, Enfield and Haringey Mental Health NHS Trust", ["Mental Health Trust"]),  # one body, commas and all
        ("Avon and Somerset Constabulary", ["Police"]),
        ("Kent Police", ["Police"]),
        # a part that is no agency's kind nor all of its words is nobody's: never a wrong agency for a shared word
        ("Gloucestershire Health and Care NHS Foundation Trust", []),
        ("Health and Social Care", []),
        ("Police, Health", ["Police"]),
        ("Department for Levelling Up, Housing and Communities", []),  # national: never split into "Housing"
        ("DHSC, DWP and MHCLG", []),
        ("Oxleas NHS Foundation Trust and Bexley Council", []),
        ("", []),
    ],
)
def test_an_addressee_naming_several_bodies_is_each_bodys_agency(addressee, agencies):
    assert matched_agencies(addressee, list(DEFAULT_AGENCIES)) == agencies


@pytest.mark.parametrize(
    ("addressee", "agencies"),
    [
        # a body of its own is not the service its other words name: the PCC's office is not the force
        ("Police and Crime Commissioner", []),
        ("Office of the Police and Crime Commissioner", []),
        ("Northvale Police and Crime Panel", []),
        ("Children's Commissioner", []),
        ("Health and Wellbeing Board", []),
        ("Northvale Safeguarding Adults Board", []),
        ("Housing Ombudsman", []),
        ("Northvale Domestic Abuse Partnership", []),
        # two bodies, one of them a body of its own: each matched on its own
        ("Police and Safeguarding Adults Board", ["Police"]),
        ("Police and Children's Social Care", ["Police", "Children's Social Care"]),
        # a body's word that is its kind's own name, or a trust's, is no other body
        ("Integrated Care Board", ["Integrated Care Board (GP services)"]),
        ("Devon Partnership NHS Trust", ["Mental Health Trust"]),
        ("Northvale Police", ["Police"]),
    ],
)
def test_a_body_of_its_own_is_never_the_service_its_words_name(addressee, agencies):
    assert matched_agencies(addressee, list(DEFAULT_AGENCIES)) == agencies


@pytest.mark.parametrize(
    "addressee",
    [
        "Police and Crime Commissioner",
        "Police and Crime Panel",
        "Children's Commissioner",
        "Health and Wellbeing Board",
    ],
)
def test_one_body_of_its_own_is_no_agency(addressee):
    assert matched_agency(addressee, list(DEFAULT_AGENCIES)) is None


def test_a_body_of_its_own_is_matched_to_a_listed_agency_that_is_that_body():
    listed = [*DEFAULT_AGENCIES, "Police and Crime Commissioner"]
    assert matched_agency("Office of the Police and Crime Commissioner", listed) == "Police and Crime Commissioner"
    assert matched_agencies("Police and Crime Commissioner", listed) == ["Police and Crime Commissioner"]
