"""Three agencies' chronologies in different layouts merge into one, partial dates and duplicates handled."""
# ruff: noqa: E501 - fixture rows read best on one line

import io
from datetime import date

import docx
import openpyxl
import pytest

from core.errors import ValidationError
from reviews import chronology


def police_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Police chronology – fictional"])
    sheet.append(["Date", "Time", "Details", "Record reference"])
    sheet.append([date(2019, 3, 12), "22:15", "Officers attended a verbal argument at the home address", "CAD 4411"])
    sheet.append(["March 2019", "", "Intelligence report about threats to the victim", "INT 88"])
    sheet.append(["04/05/2019", "", "Victim reported being followed from work", "CRIS 901"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def health_csv() -> bytes:
    return (
        b"When,Service,What happened,Ref\n"
        b"12 March 2019,Acute Hospital Trust,Officers attended verbal argument at the home address; hospital informed,ED 1\n"
        b"2018,Acute Hospital Trust,Victim registered with the practice,GP 0\n"
        b"15/04/2019,Acute Hospital Trust,Emergency department attendance with a hand injury,ED 2\n"
    )


def housing_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Housing chronology (fictional)")
    grid = document.add_table(rows=1, cols=3)
    for cell, text in zip(grid.rows[0].cells, ["Date of contact", "Summary", "Source"], strict=True):
        cell.text = text
    for row in [("2019-04-15", "Repairs to a damaged front door", "Job 77"), ("April 2019", "Rent arrears letter", "")]:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12/03/2019", (date(2019, 3, 12), "day")),
        ("2019-03-12", (date(2019, 3, 12), "day")),
        ("12 March 2019", (date(2019, 3, 12), "day")),
        ("March 2019", (date(2019, 3, 1), "month")),
        ("Mar 2019", (date(2019, 3, 1), "month")),
        ("2019", (date(2019, 1, 1), "year")),
        ("c. 2017", (date(2017, 1, 1), "year")),
    ],
)
def test_dates_keep_their_precision(text, expected):
    assert chronology.parse_event_date(text) == expected


def test_three_agencies_merge_sorted_with_duplicates_flagged(store, people, new_review):
    reference = new_review("DHR-2025-05", chair="chair")
    entries = (
        chronology.read_chronology(police_xlsx(), "police.xlsx", default_agency="Police")
        + chronology.read_chronology(health_csv(), "health.csv")
        + chronology.read_chronology(housing_docx(), "housing.docx", default_agency="Housing")
    )
    chronology.save(store, people["chair"], reference, entries)
    merged = chronology.load(store, people["chair"], reference)
    labels = [(e.date_label, e.agency) for e in merged]
    assert labels[0] == ("2018", "Acute Hospital Trust")
    assert labels[1] == ("March 2019", "Police")  # the month before its dated events
    assert labels[2:4] == [("12/03/2019", "Acute Hospital Trust"), ("12/03/2019", "Police")] or labels[2:4] == [
        ("12/03/2019", "Police"),
        ("12/03/2019", "Acute Hospital Trust"),
    ]
    assert ("April 2019", "Housing") in labels and labels.index(("April 2019", "Housing")) < labels.index(
        ("15/04/2019", "Housing")
    )
    duplicates = [e for e in merged if e.duplicate_status == "suspected"]
    assert len(duplicates) == 1 and duplicates[0].event_date == date(2019, 3, 12)
    assert next(e for e in merged if e.id == duplicates[0].duplicate_of).agency != duplicates[0].agency
    same_day_different_story = [e for e in merged if e.event_date == date(2019, 4, 15) and e.precision == "day"]
    assert len(same_day_different_story) == 2 and all(e.duplicate_status is None for e in same_day_different_story)


def test_bad_rows_are_listed_and_nothing_is_read():
    bad = b"Date,Event,Agency\nyesterday,Something,Police\n01/01/2019,,Police\n"
    with pytest.raises(ValidationError) as error:
        chronology.read_chronology(bad, "bad.csv")
    assert error.value.problems == [
        "bad.csv row 2: date: 'yesterday' is not a date (use 12/03/2019, March 2019 or 2019)",
        "bad.csv row 3: no event text",
    ]


def test_a_file_without_an_event_column_names_the_headings_read():
    """The page reads a chronology's columns by their headings (it has no mapping step): a file without one
    says which headings would do, never "map a column to event"."""
    with pytest.raises(ValidationError) as error:
        chronology.read_chronology(b"Target date,Action,Lead agency\n1/5/2024,Write protocol,Police\n", "plan.csv")
    assert error.value.problems == ["plan.csv: no Event column; head it “Event” or “Details” or “Contact”"]


def test_saved_chronology_exports_and_chair_confirms_duplicates(store, coordinator, people, new_review):
    reference = new_review("DHR-2025-05", chair="chair")
    chronology.save(
        store,
        people["chair"],
        reference,
        chronology.read_chronology(police_xlsx(), "police.xlsx", default_agency="Police"),
    )
    chronology.save(store, people["chair"], reference, chronology.read_chronology(health_csv(), "health.csv"))
    entries = chronology.load(store, people["chair"], reference)
    assert len(entries) == 6
    suspected = next(e for e in entries if e.duplicate_status == "suspected")
    chronology.decide_duplicate(store, people["chair"], reference, entry_id=suspected.id, confirmed=True)
    rows = chronology.as_rows(chronology.load(store, people["chair"], reference))
    assert len(rows) == 5
    sheet = openpyxl.load_workbook(
        io.BytesIO(chronology.to_xlsx(chronology.load(store, coordinator, reference)))
    ).active
    assert [c.value for c in sheet[1]][:4] == ["Date", "Time", "Agency", "Event"] and sheet.max_row == 6


def test_importing_again_adds_only_new_entries_and_keeps_the_chairs_decisions(store, people, new_review):
    reference = new_review("DHR-2025-05", chair="chair")
    chair = people["chair"]
    police = chronology.read_chronology(police_xlsx(), "police.xlsx", default_agency="Police")
    health = chronology.read_chronology(health_csv(), "health.csv")
    first = chronology.save(store, chair, reference, police + health)
    suspected = next(e for e in chronology.load(store, chair, reference) if e.duplicate_status == "suspected")
    chronology.decide_duplicate(store, chair, reference, entry_id=suspected.id, confirmed=False)
    before = {e.id: (e.duplicate_of, e.duplicate_status) for e in chronology.load(store, chair, reference)}
    again = chronology.save(store, chair, reference, chronology.read_chronology(health_csv(), "health.csv") + police)
    assert again.added == 0 and again.already_there == first.added
    assert {e.id: (e.duplicate_of, e.duplicate_status) for e in chronology.load(store, chair, reference)} == before
    housing = chronology.read_chronology(housing_docx(), "housing.docx", default_agency="Housing")
    assert chronology.save(store, chair, reference, housing).added == len(housing)
    audited = store.read()["audit_log"].count_where("entity = 'chronology_entries' AND action = 'insert'")
    assert audited == first.added + len(housing)
