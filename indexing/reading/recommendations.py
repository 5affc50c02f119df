"""Recommendations from a report's text: each once, with its number, full text, addressee and whether
it is addressed to a national body.

Reports set them out in four ways, all read here: a table whose header names a "Recommendation" column
(a Word table is extracted as "cell | cell" rows; a web page's table may have lost its bars, leaving
"number text addressee" lines; a PDF's gives each cell as short lines, the addressee's after the text, the header
again at the top of each page, and an agency cell merged down over several rows once; an action plan's "Action" and
date columns are set aside, and a header whose word a narrow column broke, "Recommend" / "ation", is still one; a
footer that ends two pages or more is no part of any text, and a paragraph whose sentence a page break cuts goes on
after it; an agency column before the text's, "No. | Agency | Recommendation | Timescale", whose cell a PDF prints
before a text that names the agency again, and a timescale or scope cell after it),
"Recommendation 3 [to the police]: ..." paragraphs (or "Recommendation 1: Kent Police" over its text), and
numbered items (1., 2a, 21.10.2, 3.140(a)) under
a heading that says "Recommendations". Lessons, findings and
conclusions under their own headings are not read. A report often lists its recommendations twice (in
the executive summary and in full): the same text under the same number is kept once, the fuller one.
The addressee is the table's column when there is one, else the body a heading or lead-in above names
("Home Office", "The following recommendations are for Kent Police:"; only inside its own section: the next
heading ends it), else the body the text itself names ("Kent Police must ...", "That the Home Office consider ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html
from rapidfuzz import fuzz

from indexing.reading.addressees import addressee_in, addressees_in, body_heading, is_lead_in, is_national

# "3", "21.10.2", "2a", "3.140(a)", "a)", "(a)", "iv)", "iv." (the full stop not the number's), "R1", "DHR1", "Rec. 3"
_NUMBER = (
    r"(?:(?:R|DHR|Rec\.\s?)\d+|\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))?|[a-z]\)|\([a-z]\)|[ivx]+\)|[ivx]{1,4}(?=\.\s))"
)
# the number column's title: "No.", "Ref", "Rec", "Rec No.", "Recommendation number"
_NUMBER_COLUMN = r"(?:#|No\.?|Number|Ref\.?|Rec\.?|Rec(?:ommendation)?\.?\s*(?:No\.?|Number|Ref\.?))"
# an agency column before the text's: "No. | Agency | Recommendation | Timescale"
_LEAD_COLUMN = r"(?:(?:Lead|Responsible)\s+)?(?:Agency|Agencies|Organisations?|Addressee)|Addressed to"
# a theme column before the text's, which groups the recommendations: "Theme | Recommendation"
_THEME_COLUMN = r"(?:Key\s+)?(?:Themes?|Topics?|Issues?|Areas?(?:\s+of\s+(?:learning|practice))?|Learning\s+themes?)"
# a scope column, whose cells say each recommendation's reach: "Local or national", "Local / National", "Scope"
_SCOPE_COLUMN = r"(?:Scope|Level|(?:Local|Regional|National)(?:\s*(?:/|or|and|,)\s*(?:Local|Regional|National))+)"
_HEADER = re.compile(
    r"^\|?\s*" + _NUMBER_COLUMN + r"?\s*\|?\s*(?:" + _SCOPE_COLUMN + r"\s*\|\s*)?"
    r"(?P<lead>(?:" + _LEAD_COLUMN + r")\s*\|?\s*)?"
    r"(?P<theme>" + _THEME_COLUMN + r"\s*\|?\s*)?Recommendations?\s*\|?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# a header a narrow PDF column broke: "No. Recommend" / "ation" / "Action to" / "take" / "Lead agency Target date"
_SPLIT_HEADER = re.compile(r"^(?:#|No\.?|Number|Ref\.?|Rec\.?)\s+Recommend[a-z]*$", re.IGNORECASE)
_HEADER_TAIL = re.compile(r"(?:[A-Z][a-z]+ ?){1,3}")  # a column title on its own line under the header's
_ACTION_HEADER = re.compile(r"\bactions?\b", re.IGNORECASE)  # an action plan's column between the text and the lead
_ADDRESSEE_HEADER = re.compile(
    r"addressed to|agency|agencies|organisation|lead|owner|responsib|for action|accountable", re.IGNORECASE
)
# a column that names a person, not a body: "Responsible officer", "Lead officer", "Named lead", "Post holder"
_OFFICER_HEADER = re.compile(r"\b(?:officers?|person|post ?holders?|named lead|job title|manager)\b", re.IGNORECASE)
# a recommendation's number in words, as a heading over its text gives it ("Recommendation Three")
NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen twenty".split(),
        start=1,
    )
}
# "Recommendation 3 [to the police]: text", or "Recommendation 3" (or "Three") alone on a line over its text
_PARAGRAPH = re.compile(
    r"^Recommendation\s+(\d+(?:\.\d+)*(?:\s?[a-z](?![a-z]))?|(?:"
    + "|".join(NUMBER_WORDS)
    + r")(?![a-z]))\s*(?:\[(?:to\s+)?([^\]]+)\]|\((?:to\s+)?([^)]+)\))?"
    r"\s*(?:[:.\-–]\s*(.+)|:?)$",
    re.IGNORECASE,
)
# the parts of a recommendation whose text ends with a colon: "a) that the older person is seen alone;", "(ii) ..."
_LETTERED = re.compile(r"^\s*\(?(?:[a-h]|[ivx]+)[.)]\s+\S")
_ITEM = re.compile(r"^\s*(?:[•\-–*]\s*)?(" + _NUMBER + r")[.):]?\s+(\S.*)$")
_SECTION = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+|PART [A-Z]+\s+|(?:Appendix|Annex)\s+[A-Z0-9]{1,3}\s*[:.\-–]?\s+)?"
    r"([A-Z][A-Za-z ,&'’\-]{2,80})\s*:?\s*$"
)
_REC_HEADING = re.compile(r"\brecommendations?\b", re.IGNORECASE)
# a heading inside the recommendations that says their reach, not a new section: "National", "Local level"
_REACH_HEADING = re.compile(r"^(?:local|regional|national|multi-agency|single[ -]agency)(?: level)?$", re.IGNORECASE)
_STOP_HEADING = re.compile(
    r"\b(?:lessons?|learning|findings?|conclusions?|glossary|appendix|contents|index|introduction|background|"
    r"chronology|terms of reference|analysis|good practice|summary of|action plan)\b",
    re.IGNORECASE,
)
_NAME_WORD = r"(?:[A-Z][\w’'&()\-.]*|\||of|and|for|the|&)"
_TAIL = re.compile(r"(?:^|\s)(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*)\s*$")
# a PDF's agency cell of several bodies in its own lines ("Cardiff" / "Metropolitan" / "University; South" / "Wales
# Police"); a web page's one-line row keeps its ";" in the text ("... referred to a MARAC; Surrey Police")
_TAILS = re.compile(r"(?:^|\s)(" + _NAME_WORD + r"(?:;?\s+" + _NAME_WORD + r")*)\s*$")
# "16 recommendations pulled from the report" (a count), "March 2017: ..." (a date), "Refuges Team £1,099,221" (a budget line)  # noqa: E501
# "The recommendations below are set out with ...", "The panel makes the following recommendations." (what follows,
# asking nothing)
_NOT_AN_ITEM = re.compile(
    r"recommendations?\b"
    r"|(?![^.]*\b(?:should|must|shall)\b)(?:(?:the|these|our|its|their)\s+(?:[\w’']+\s+){0,2}recommendations\b"
    r"|(?:the\s+)?(?:review\s+panel|panel|review|report)\s+(?:makes|has made|sets out)\b)"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?=[^.]*£\s?\d)(?:\S+\s+){0,10}\S*$",
    re.IGNORECASE,
)
# an item about the recommendations, asking nothing: "5.2 The action plan sets out how each agency will deliver these
# recommendations." (read whole: a PDF wraps it)
_ABOUT_THEM = re.compile(
    r"^(?![^.]*\b(?:should|must|shall)\b)[^.]*\b(?:these|the above) recommendations\b", re.IGNORECASE
)
# a row across a table that names the recommendations below it: "Local recommendations", "Multi-agency recommendations"
_GROUP_ROW = re.compile(
    r"^(?!(?:the|all|these|its|their|our|any|further|implement)\b)[A-Z][\w’'\-]*(?:\s+(?!(?:the|to|of|and|for)\b)"
    r"[\w’'\-]+){0,2}\s+recommendations:?$",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\b(?:should|must|will|shall|to ensure|is recommended|are recommended)\b")
DUPLICATE_SIMILARITY = 90  # RapidFuzz ratio at which two texts under one number are the same recommendation


@dataclass(frozen=True)
class FoundRecommendation:
    number: str
    text: str
    addressee: str
    national: bool


def read_recommendations(text: str) -> list[FoundRecommendation]:
    """Every recommendation in ``text``, each once, in the order they first appear."""
    lines = _without_page_furniture([" ".join(line.split()) for line in text.splitlines()])
    taken: set[int] = set()  # lines a table or a "Recommendation N:" paragraph read: no section reads them again
    scope = _heading_scope(lines)
    found = _from_tables(lines, taken, scope)
    found += _from_paragraphs(lines, taken, scope)
    found += _from_sections([line if i not in taken else "" for i, line in enumerate(lines)], scope)
    return _once(found)


@dataclass(frozen=True)
class _Scope:
    """What headings say about each line: the body the nearest heading or lead-in above it names, within the same
    section (any other heading ends it), and which lines are such headings."""

    addressees: list[str]
    headings: frozenset[int]


def _heading_scope(lines: list[str]) -> _Scope:
    """A heading counts only where the text before it has ended (a full stop, a colon, a blank line, a heading):
    a PDF's wrapped line ("Safeguarding Board") inside a sentence neither names nor ends anything."""
    addressees: list[str] = []
    headings: set[int] = set()
    current = ""
    ended = True
    for index, line in enumerate(lines):
        if not line:
            addressees.append(current)
            ended = True
            continue
        body = body_heading(line) if ended and not line.startswith("(") else ""  # "(Home Office)" ends a text
        heading = _heading_title(line) is not None
        if body:
            current = body
            headings.add(index)
        elif ended and (heading or line.isupper() or is_lead_in(line)):
            current = ""
        addressees.append(current)
        ended = bool(body) or heading or line.endswith((".", ";", ":", "?", "!"))
    return _Scope(addressees, frozenset(headings))


def _heading_title(line: str) -> str | None:
    """A heading's title ("12. Recommendations" -> "Recommendations"), or None for a line that is not one. A
    numbered line is a heading only where its title is one that opens or ends a section ("15. Glossary");
    otherwise it is an item ("2. Review the policy")."""
    if not _is_heading(line):
        return None
    title = _SECTION.match(_last_language(line)).group(1)
    if _ITEM.match(line) and not (_REC_HEADING.search(title) or _STOP_HEADING.search(title)):
        return None
    return title


def _page_number_follows(lines: list[str], index: int) -> bool:
    following = next((line for line in lines[index + 1 : index + 4] if line), "")
    return bool(re.fullmatch(r"\d{1,3}", following))


def _joined(text: str, line: str) -> str:
    """A wrapped line added to the text before it: a word a PDF broke after its hyphen ("decision-" /
    "making") is joined whole."""
    if re.search(r"[A-Za-z]-$", text) and line[:1].islower():
        return text + line
    return f"{text} {line}"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _from_tables(lines: list[str], in_tables: set[int], scope: _Scope) -> list[tuple[str, str, str]]:
    """Rows of every table with a "Recommendation" column; the lines they took go into ``in_tables``. A table
    with no addressee column takes the body a heading above it names."""
    found = []
    index = 0
    paged = _paged(lines)
    while index < len(lines):
        header, header_lines = _header_at(lines, index)
        # a Word file's or web page's "Recommendations" alone is a heading ("DHR1 Ensure ..." below it an item);
        # a PDF's may be the one column's header of a table
        bare = header is not None and not paged and re.fullmatch(r"Recommendations?:?", lines[index], re.IGNORECASE)
        if not header or bare or len(lines[index]) > 120:
            index += 1
            continue
        barred = "|" in lines[index]
        closed = lines[index].endswith("|")  # a table whose rows end with a bar: a row without one was cut off
        columns = _cells(lines[index]) if barred else []
        rec_column = next(
            (i for i, c in enumerate(columns) if _REC_HEADING.search(c) and not re.fullmatch(_NUMBER_COLUMN, c, re.I)),
            1,
        )
        themed = bool(header.group("theme"))  # its rows' numbers are the text's own ("Housing | 3. Kent Police ...")
        number_column = 0 if rec_column > 0 and not (themed and rec_column == 1) else None
        addressee_columns = [
            i for i, c in enumerate(columns) if i not in (rec_column, number_column) and _ADDRESSEE_HEADER.search(c)
        ]
        officer_columns = [i for i in addressee_columns if _OFFICER_HEADER.search(columns[i])]
        scope_columns = {i for i, c in enumerate(columns) if re.fullmatch(_SCOPE_COLUMN, c, re.IGNORECASE)}
        rest = header.group("rest") or ""
        lead_first = bool(header.group("lead")) and not barred  # a PDF's row: the agency cell's lines, then the text's
        lead = None if lead_first else _ADDRESSEE_HEADER.search(rest)
        flattened_addressee = bool(lead)
        acting = bool(_ACTION_HEADER.search(rest[: lead.start()] if lead else rest))
        dated = bool((lead or lead_first) and _DATE_HEADER.search(rest[lead.end() :] if lead else rest))
        more = bool(lead and acting and _MORE_COLUMNS.search(rest[lead.end() :]))
        scoped = bool(acting and re.search(r"\bscope\b", rest, re.IGNORECASE))
        above = scope.addressees[index - 1] if index else ""  # the header itself is a heading: it ends a scope
        header_text = lines[index : index + header_lines]
        alone = re.fullmatch(r"Recommendations?:?", lines[index], re.IGNORECASE)  # a PDF's one-column table, or not
        taken: set[int] = set()
        rows: list[_Row] = []  # a table that lost its bars: each row's lines
        width = _cell_width(lines)
        index += header_lines
        while index < len(lines):
            line = lines[index]
            if lines[index : index + header_lines] == header_text:  # the header again at the top of the next page
                taken.update(range(index, index + header_lines))
                index += header_lines
                continue
            if not line or set(line) <= set("|-: "):
                index += 1
                if line or barred or not (found or rows):
                    continue
                if rows and rows[-1].aside and not rows[-1].open:
                    continue  # an empty line among the cells after the lead's (" " under "September")
                following = lines[index] if index < len(lines) else ""
                if rows and not rows[-1].open and paged and _next_number(rows[-1].number, following):
                    continue  # a page break between two rows of a table whose header is not printed again
                if not (rows and rows[-1].open):
                    break  # a blank line ends a table, but not a row a page break cut in two
                rows[-1].page_break()
                continue
            if _GROUP_ROW.match(line) and not (rows and rows[-1].open):
                taken.add(index)  # a row across the table naming the ones below it ("National recommendations")
                index += 1
                continue
            if barred:
                if not line.startswith("|") and line.count("|") < 1:
                    break
                cells = _cells(line)
                if len(cells) <= rec_column:
                    break
                if closed and not line.endswith("|") and len(cells) > rec_column + 1:
                    cells = cells[:-1]  # its last cell is cut short ("Ca"): no addressee rather than a wrong one
                number = cells[number_column] if number_column is not None else ""
                # the agency columns' cells (and any a "|" in the last one split off), not an action plan's date,
                # progress or status after them
                spill = range(len(columns), len(cells)) if addressee_columns[-1:] == [len(columns) - 1] else ()
                addressee = "; ".join(cells[i] for i in [*addressee_columns, *spill] if i < len(cells) and cells[i])
                if len(cells) > rec_column + 1 and not addressee_columns:
                    addressee = "; ".join(
                        c for i, c in enumerate(cells[rec_column + 1 :], rec_column + 1) if c and i not in scope_columns
                    )
                if len(cells) <= rec_column + 1 and not addressee_columns:
                    addressee = above
                if officer_columns == addressee_columns and officer_columns:
                    # a job title ("Designated Nurse, Kestermoor ICB"): the body the text asks, else the officer's
                    addressee = addressees_in(cells[rec_column]) or _officer_body(addressee)
                numbered = _ITEM.match(cells[rec_column]) if themed else None
                found.append((*(numbered.groups() if numbered else (number, cells[rec_column])), addressee))
            elif not (rows and rows[-1].takes(line)):
                item = _ITEM.match(_THEME_CELL.sub("", line)) if themed else _row_start(line)
                if not item or rows and rows[-1].wrapped and len(item.group(2)) > width:
                    break  # not a row, or a numbered paragraph a page wide after a PDF's table of short lines
                rows.append(
                    _Row(
                        item.group(1),
                        [item.group(2)],
                        width=width if len(item.group(2)) <= width else 0,
                        named=flattened_addressee,
                        acting=acting,
                        dated=dated,
                        more=more,
                        scoped=scoped,
                    )
                )
            taken.add(index)
            index += 1
        if alone and rows and not rows[0].wrapped:
            continue  # "Recommendations" over numbered paragraphs a page wide: a heading over a section's items
        in_tables |= taken
        named_before = ""
        for row in rows:
            body, addressee = row.text, above
            if lead_first:
                addressee, body = _lead_and_text(row.body)
                addressee = addressee or addressee_in(body) or named_before  # a merged agency cell: printed once
            elif flattened_addressee and row.names:
                body, addressee = row.body, " ".join(row.names)
            elif flattened_addressee and not (row.wrapped and row.body.endswith((".", ";"))):
                # a web page's one-line row, or a PDF's whose text has no stop: its name ends it ("... Spending
                # Review." is a sentence's end, not a name)
                body, addressee = _split_tail(body, several=row.wrapped)
            if flattened_addressee and row.wrapped and not addressee and body.endswith((".", ";")):
                # a whole row with no name of its own: the agency cell above merged down over it (a PDF prints the
                # name once), unless its own words name a body
                addressee = addressee_in(body) or named_before
            named_before = addressee
            found.append((row.number, body, addressee))
    return found


def _officer_body(cell: str) -> str:
    """The body a responsible officer's cell names after the job title ("Principal Social Worker, Kestermoor Adult
    Social Care" -> "Kestermoor Adult Social Care"), or ""."""
    return next((body for part in reversed(cell.split(",")) if (body := body_heading(part))), "")


# a PDF's row of a themed table: the theme cell's words before the number ("Information sharing 1. Kent Police ...")
_THEME_CELL = re.compile(r"^[A-Z][\w’'\-]*(?:\s+[a-z][\w’'\-]*){0,3}\s+(?=" + _NUMBER + r"[.)]?\s)")


def _row_start(line: str) -> re.Match | None:
    """A row's first line: its number and the start of its text ("3 Review ...", "R1. Kent Police should ...")."""
    return re.match(r"^((?:R|DHR)\d+)\.\s+(\S.*)$", line) or re.match(r"^(" + _NUMBER + r")\s+(\S.*)$", line)


HEADER_PIECE = 40  # a PDF gives a header of many narrow columns as short pieces ("Scope" / "(local /" / "Key")


def _header_at(lines: list[str], index: int) -> tuple[re.Match | None, int]:
    """The table header at ``index`` and how many lines it takes: one, or its first line and the pieces a narrow PDF
    column broke off it: a header split inside "Recommend" / "ation", one whose many short titles run up to the first
    row, or a lead-first header whose last column's title wrapped ("No. Agency Recommendation" / "Timescale")."""
    if lines[index][:1].islower():
        return None, 1  # a sentence's last word wrapped onto a line of its own ("these" / "recommendations.")
    if _SPLIT_HEADER.match(lines[index]):
        end = _header_end(lines, index, 8, lambda line: bool(line) and not re.match(_NUMBER + r"\s", line))
        joined = re.sub(r"Recommend (ations?)\b", r"Recommend\1", " ".join(lines[index:end]), flags=re.IGNORECASE)
        return _HEADER.match(joined), end - index
    header = _HEADER.match(lines[index])
    if not header or "|" in lines[index]:
        return header, 1
    if header.group("rest"):
        end = _header_end(
            lines, index, 12, lambda line: 0 < len(line) <= HEADER_PIECE and not _row_start(line) and line[-1] != "."
        )
        if index + 1 < end < len(lines) and _row_start(lines[end]):  # the pieces run up to the first row
            return _HEADER.match(" ".join(lines[index:end])), end - index
    if header.group("lead"):
        end = _header_end(lines, index, 3, _HEADER_TAIL.fullmatch)
        if end > index + 1:
            return _HEADER.match(" ".join(lines[index:end])), end - index
    return header, 1


def _header_end(lines: list[str], index: int, most: int, piece) -> int:
    """Where a header that starts at ``index`` ends: after the lines below it that are ``piece``s of it, ``most``
    lines in all."""
    end = index + 1
    while end < len(lines) and end - index < most and piece(lines[end]):
        end += 1
    return end


WRAPPED_LINE = 60  # a PDF's table gives each cell's text as short lines (its column's width), a page's text long ones
CELL_SHARE = 0.8  # ... and a wide column's lines are still shorter than this share of the page's longest
FIT_SHARE = 0.6  # a cell's line shorter than this share of its longest was not wrapped: its text ended there


def _cell_width(lines: list[str]) -> int:
    """The longest a line of a table's cell may be: WRAPPED_LINE, or in a PDF's text (whose lines are its pages')
    a share of the page's width, for a table whose recommendation column is most of the page."""
    if not _paged(lines):
        return WRAPPED_LINE
    return max(WRAPPED_LINE, int(CELL_SHARE * max(len(line) for line in lines)))


# a date column's cell after the lead agency's: "March 2025", "December" / "2025", "31/03/2025", "Ongoing"
_DATE_LINE = re.compile(
    r"^(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?: \d{2,4})?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|(?:19|20)\d{2}|Q[1-4](?: \d{4})?|Ongoing|Completed?|Immediate(?:ly)?|\d{1,2}(?:-\d{1,2})? (?:weeks|months|years)"
    r"|National|Local|Regional)$",
    re.IGNORECASE,
)
# a Scope column's cell, printed on the line after the recommendation's last ("Local Commission a")
_SCOPE_CELL = re.compile(r"^(?:Local|Regional|National)\b")
# an action plan's columns after the lead agency's, whose cells are set aside: "Key milestones", "Outcome", "Progress"
_MORE_COLUMNS = re.compile(r"\b(?:milestones?|outcomes?|progress|status|evidence|measures?)\b", re.IGNORECASE)
# a date column's cell in words: "By the end" / "of year 5", "From 2022" / "to 2023", "Within 6 months"
_DATE_HEADER = re.compile(r"\b(?:dates?|timescales?|deadline|by when|target|completion|scope)\b", re.IGNORECASE)
_TIMESCALE = re.compile(r"^(?:By|From|Within|Before|Until|No later than|End of)\b")
_TIMESCALE_END = re.compile(r"^(?:to|until|of|and)\s+\S*\d")  # its last line: "to 2023", "of year 5"
_NAME_AND_TIMESCALE = re.compile(r"^(.+?)\s+((?:By|From|Within|Before|Until)\b.*)$")  # one baseline: "DHSC From 2022"
_NAME_LINE = re.compile(r"^[A-Z][\w’'&()\-.]*(?:\s+(?:[A-Z][\w’'&()\-.]*|\([A-Z][A-Za-z&]{1,11}\)|of|and|for|the|&))*$")
# a line that ends on one of these words has not ended its sentence: the line after it is more of the text
_OPEN_END = re.compile(r"\b(?:to|of|the|and|a|an|for|with|by|in|on|from|at|as|that|or|relating)$", re.IGNORECASE)


@dataclass
class _Row:
    """A row of a table that lost its bars. A web page gives each row as one line ("3 text addressee"); a
    PDF gives it cell by cell in short lines: the number and the first line of the recommendation, the rest
    of its text, then its addressee's lines ("Manchester" / "Community Safety" / "Partnership"). A row a
    page break cuts gives its addressee before the break, the rest of its text after it."""

    number: str
    lines: list[str]
    width: int  # the longest a line of its cells may be; 0 where the row is one line (a web page's table)
    named: bool  # the table has an addressee column
    acting: bool = False  # an action plan: an "Action" column's text comes between the recommendation and the lead
    dated: bool = False  # a date or timescale column after the lead, whose cell may be words ("By the end")
    more: bool = False  # an action plan's columns after the lead ("Key milestones", "Outcome"): their cells set aside
    aside: bool = False  # a cell after the lead's has begun: no more of the lead's name follows
    names: list[str] = field(default_factory=list)
    action: list[str] = field(default_factory=list)
    broken: bool = False  # a page break cut its text: its addressee came before the break
    ended: bool = False  # its text ended short of its column's width, with no stop: the lines after are other cells'
    dating: bool = False  # the date column's cell has begun: its lower-case lines go on with it ("of year 5")
    scoped: bool = False  # a Scope column (local / regional / national) before the action's
    cut: bool = False  # a page break cut its text, the other cells printed before the rest of it

    @property
    def open(self) -> bool:
        """Whether the recommendation's text has not ended yet (more of it may follow, even a page later)."""
        return self.wrapped and not self.ended and not self.lines[-1].endswith((".", ";"))

    @property
    def wrapped(self) -> bool:
        """Whether it is given cell by cell, in short lines."""
        return self.width > 0

    def takes(self, line: str) -> bool:
        """Whether ``line`` continues this row (more of its text, or a line of the name after it), and if so
        adds it; a line of a page's width, or another row's number after a finished text, does not."""
        if not self.wrapped or len(line) > self.width:
            return False
        if self.dated and not self.open and not self.named and _DATE_LINE.match(line):
            return True  # the date, timescale or scope cell after the text of a table whose agency column is first
        if _next_number(self.number, line):
            return False
        if _is_heading(line) and (_STOP_HEADING.search(line) or _REC_HEADING.search(line)):  # "Glossary" after it
            return False
        if self.open and self.named and not self.names and line[:1].isupper() and self._ended_short(line):
            self.ended = True
        if self.open and self.scoped and not self.cut and not self.broken and _SCOPE_CELL.match(line):
            self.cut = True  # "domestic abuse among their" / "Local Commission a": the text goes on after the break
        if self.open and not (self.cut and not self.broken):
            self.lines.append(line)
            return True
        ended = not self.action or not self.action[-1].endswith((".", ";"))
        if self.acting and not self.names and (ended or _LETTERED.match(line)):
            self.action.append(line)  # the action column's text and its lettered steps ("b) Audit ..."): set aside
            return True
        if self.dated and (_TIMESCALE.match(line) or self.dating and line[:1].islower()):
            self.dating = True  # the date column's cell, after the lead's (set aside)
            return True
        lead_whole = self.more and (self.aside or self.names and body_heading(" ".join(self.names)))
        if self.more and not self.names and not self.aside and self.action:
            # the lead's cell and the next on one line ("Home Office Letter sent On"): the name an organisation's
            words = line.split()
            lead = next((n for n in range(1, len(words)) if body_heading(" ".join(words[:n]))), 0)
            if lead and not _NAME_LINE.match(line):
                self.names.append(" ".join(words[:lead]))
                self.aside = True
                return True
        if self.named and not self.broken and len(self.names) < 6 and not lead_whole and _NAME_LINE.match(line):
            if not _DATE_LINE.match(line):
                self.names.append(line)
                return True
        if self.names and _DATE_LINE.match(line):
            return True  # the date column after the lead agency's
        more = _OPEN_END.search(self.names[-1]) or re.match(r"(?:and|&) [A-Z]", line) if self.names else None
        if more and (line[:1].islower() or self.broken):
            # more of a name in words ("All health professionals with" / "access to ...") or of a list of names
            # ("DHSC, DWP" / "and MHCLG")
            self.names.append(line)
            return True
        if self.more and (self.names or self.action):
            self.aside = True
            return True  # a milestone's, date's or outcome's cell after the lead's, up to the next row
        if self.named and not self.names and not self.acting and line[:1].isupper():
            if line.endswith((".", ";")) or len(line) >= FIT_SHARE * self.longest:
                self.lines.append(line)  # the cell's next sentence ("... suicide." / "Self-harm is ..."), before a name
            else:
                self.names.append(line)  # a short line that ends no sentence is not the text's: a name in words
            return True
        return False

    @property
    def longest(self) -> int:
        return max(len(line) for line in self.lines)

    def _ended_short(self, line: str) -> bool:
        """Whether the text's last line ended well short of its column's width (its longest line): ``line``'s first
        word would have fitted on it, so ``line`` is another cell's."""
        return len(self.lines) > 1 and _fits_after(self.lines[-1], line, FIT_SHARE * self.longest)

    def page_break(self) -> None:
        """Before a break inside its text, the row's last lines that are a name are its addressee's cell; a line
        after one that ends on "to" or "of" is still the text ("relating to" / "Domestic Homicide")."""
        self.broken = True
        if self.dated:  # the date cell's lines, or the lead's and the date's on one line ("DHSC From 2022")
            cells_after = (_TIMESCALE_END, _TIMESCALE, _DATE_LINE)
            while len(self.lines) > 1 and any(p.match(self.lines[-1]) for p in cells_after):
                self.lines.pop()
            both = _NAME_AND_TIMESCALE.match(self.lines[-1])
            if both and _NAME_LINE.match(both.group(1)):
                self.lines[-1] = both.group(1)
        if self.named and len(self.lines) == 1 and not self.names:
            # a text of one line before the break: the PDF gave the agency cell's first line on the same line
            # ("The Department for Work and Pensions should Department for"); the rest of the name follows the text
            self.lines[0], name = _split_tail(self.lines[0])
            self.names = [name] if name else []
        while self.named and len(self.lines) > 1 and _NAME_LINE.match(self.lines[-1]):
            self.names.insert(0, self.lines.pop())
        while self.names and _OPEN_END.search(self.lines[-1]):
            self.lines.append(self.names.pop(0))

    @property
    def body(self) -> str:
        text = self.lines[0]
        for line in self.lines[1:]:
            text = _joined(text, line)
        return text

    @property
    def text(self) -> str:
        return " ".join([self.body, *self.names])


def _fits_after(last: str, line: str, width: float) -> bool:
    """Whether ``line``'s first word would have fitted on ``last`` within ``width`` characters: ``last`` was not
    wrapped there, its paragraph or cell ended."""
    return len(last) + 1 + len(line.split()[0]) < width


def _next_number(number: str, line: str) -> bool:
    """Whether ``line`` opens the row after ``number``'s ("4.2 ..." after 4.1, "5 ..." after 4 or 4.3, "15.3.1 ..."
    after 15.2.1): a row whose text has no full stop must not run on into the next."""
    prefix = re.match(r"(?:R|DHR)(?=\d)", number)  # "R2. ..." after R1
    prefix = prefix.group(0) if prefix else ""
    match = re.match(r"^" + prefix + r"(\d+(?:\.\d+)*)" + (r"\.?" if prefix else "") + r"\s", line)
    number = number.removeprefix(prefix)
    if not match or not re.fullmatch(r"\d+(?:\.\d+)*", number):
        return False
    before, after = [int(p) for p in number.split(".")], [int(p) for p in match.group(1).split(".")]
    return after[0] == before[0] + 1 or any(
        after[:level] == before[:level] and after[level] == before[level] + 1 and set(after[level + 1 :]) <= {1}
        for level in range(min(len(before), len(after)))
    )


def _split_tail(body: str, several: bool = False) -> tuple[str, str]:
    """ "... are incorporated. Kent Police" -> the text and its addressee: the run of capitalised words
    (and "|", "of", "and"; "; " between bodies where ``several``) that ends the line after a lower-case word or a
    full stop."""
    tail = (_TAILS if several else _TAIL).search(body)
    if not tail or tail.start(1) == 0:
        return body, ""
    addressee = tail.group(1).strip(" |")
    while addressee.split() and addressee.split()[0] in ("of", "and", "for", "the", "&"):
        addressee = addressee.split(" ", 1)[1] if " " in addressee else ""
    if not addressee or not addressee[0].isupper():
        return body, ""
    return body[: body.rindex(addressee)].rstrip(" ;,"), " | ".join(p.strip() for p in addressee.split("|"))


def _lead_and_text(body: str) -> tuple[str, str]:
    """ "Home Office The Home Office should ..." -> the agency cell and the text of a PDF's row whose agency column
    comes first: the shortest run of capitalised words that the text then opens with again ("The" or "That" before
    it). A text that does not name its agency first is left whole, with no agency read from the row."""
    words = body.split()
    for end in range(1, min(len(words) // 2, 12) + 1):
        name = words[:end]
        if not all(w[:1].isupper() or w in ("of", "and", "for", "the", "&") for w in name):
            break
        after = words[end:]
        while after and after[0].lower() in ("the", "that"):
            after = after[1:]
        if [w.casefold() for w in after[:end]] == [w.casefold() for w in name]:
            return " ".join(name), " ".join(words[end:])
    return "", body


PAGE_LINES = 8  # a PDF's text has a blank line only between pages, each of many lines


def _paged(lines: list[str]) -> bool:
    """Whether blank lines are page breaks (a PDF's text), not breaks between paragraphs (a text file, a web page)."""
    return sum(1 for line in lines if not line) * PAGE_LINES <= len(lines)


_PAGE_NUMBER = re.compile(r"\bPage\s+\d{1,4}(?:\s+of\s+\d{1,4})?\b|\b\d{1,4}\s+of\s+\d{1,4}\b", re.IGNORECASE)
RUNNING_HEADER_LINES = 3  # the most lines a running header takes at the top of a page (a long one wraps)


def _page_line(line: str) -> str:
    """A footer or header line with its page number masked: "Published June 2023. Page 2" is page 1's footer too."""
    return _PAGE_NUMBER.sub("Page #", line)


def _without_page_furniture(lines: list[str]) -> list[str]:
    """``lines`` without a PDF's footer and running header: a line that ends two pages or more (the last before a
    page break, or of the text; its page number aside) is the page's, not the text's ("OFFICIAL - Northvale DHR
    executive summary", "Page 3 of 12", "Published June 2023. Page 2"), and so are the lines that open two pages or
    more alike ("Cardiff Community Safety Partnership Domestic Homicide" / "Review (death 2016)"), never a table's
    header repeated at the top of each page."""
    if not _paged(lines):
        return lines
    ends = [lines[i - 1] for i in range(1, len(lines)) if not lines[i] and lines[i - 1]]
    ends += [line for line in lines[-1:] if line]
    masked = [_page_line(line) for line in ends]
    furniture = {line for line in masked if masked.count(line) >= 2 and not _HEADER.match(line)}
    furniture |= {line for line in ends if re.fullmatch(r"(?:Page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?", line, re.I)}
    starts = [0] + [i + 1 for i in range(len(lines) - 1) if not lines[i] and lines[i + 1]]
    header: set[int] = set()
    for depth in range(RUNNING_HEADER_LINES):
        opening = [_page_line(lines[s + depth]) if s + depth < len(lines) else "" for s in starts]
        repeated = {
            s + depth
            for s, line in zip(starts, opening, strict=True)
            if line
            and opening.count(line) >= 2
            and (depth == 0 or s + depth - 1 in header)
            and _header_at(lines, s + depth)[0] is None
        }
        if not repeated:
            break
        header |= repeated
    return [
        line
        for i, line in enumerate(lines)
        if i not in header and (not line or line not in furniture and _page_line(line) not in furniture)
    ]


def _from_paragraphs(lines: list[str], taken: set[int], scope: _Scope) -> list[tuple[str, str, str]]:
    """ "Recommendation 3 [to the police]: ..." paragraphs, with the lines a PDF wrapped them onto (which go
    into ``taken``); one that names no body in brackets takes the body a heading above it names."""
    found: list[list[str]] = []  # number, text, the body its first line names, the body a heading above names
    own: list[str] = []  # the lines of the last paragraph, as they are printed
    open_paragraph = in_parts = False
    subject = ""
    paged = _paged(lines)
    page_width = max(map(len, lines), default=0)
    for index, line in enumerate(lines):
        match = _PARAGRAPH.match(line)
        if open_paragraph and (in_parts or found[-1][1].endswith(":")) and _LETTERED.match(line):
            found[-1][1] = _joined(found[-1][1], line)  # its parts: "..., and in particular:" / "a) that ..."
            in_parts = True
        elif match:
            in_parts = False
            body = (match.group(4) or "").strip()
            named = body_heading(body)
            # "Recommendation 1: Kent and Medway CCG" over its text: the line names the body, the text follows
            found.append(
                [
                    NUMBER_WORDS.get(match.group(1).lower(), match.group(1)),
                    "" if named else body,
                    (match.group(2) or match.group(3) or named).strip(),
                    scope.addressees[index],
                ]
            )
            open_paragraph = True
            own = []
            subject = body if named else ""
        elif open_paragraph and found[-1][1] == "":
            # the text under "Recommendation 3" (a blank line between them keeps it open); a line going on in lower
            # case goes on with the sentence the name opened, which a PDF wrapped after it ("Recommendation 3:
            # Northvale Mental Health Trust" / "should consider, ..."): the name is its subject
            found[-1][1] = _joined(subject, line) if line[:1].islower() else line
        elif (
            open_paragraph
            and line
            and not _ITEM.match(line)
            and not _is_heading(line)
            and not _ends(own, line, page_width)
        ):
            found[-1][1] = _joined(found[-1][1], line)
        elif open_paragraph and paged and not line and not found[-1][1].endswith((".", ";", ":")):
            continue  # a page break inside the paragraph's sentence: the rest follows on the next page
        elif open_paragraph and not line and (in_parts or found[-1][1].endswith(":")):
            if _LETTERED.match(next((after for after in lines[index + 1 :] if after), "")):
                continue  # a blank line before its next part
            open_paragraph = False
        else:
            open_paragraph = False
            continue
        own.append(line)
        taken.add(index)
    return [(number, body, named or _own_addressee(body) or above) for number, body, named, above in found]


PARAGRAPH_SHARE = 0.85  # a line ending a sentence this much shorter than its paragraph's longest ended the paragraph


def _ends(paragraph: list[str], line: str, page_width: int) -> bool:
    """Whether ``paragraph`` (its printed lines) ended before ``line``, which a PDF gives without a blank line
    between: it ended a sentence, ``line`` opens with a capital ("The panel considered ..."), and either its
    first word would have fitted on the last line (short of the paragraph's longest, or of the page's longest
    where it has one line) or it asks nothing, as a recommendation's next sentence would ("This should ...")."""
    width = max(map(len, paragraph)) if len(paragraph) > 1 else page_width
    last = paragraph[-1] if paragraph else ""
    return (
        last.endswith(".")
        and line[:1].isupper()
        and (_fits_after(last, line, PARAGRAPH_SHARE * width) or not _ASKS.search(line))
    )


def _own_addressee(text: str) -> str:
    """The body a paragraph's own words address, which outranks a heading above it (a cover's partnership name is
    no addressee of "Recommendation 2: The Department for Work and Pensions should ..."): its subject, or its
    closing brackets ("... of the appointee. (Department for Work and Pensions)")."""
    closing = re.search(r"[.;]\s*\(([^()]+)\)$", text)
    return (body_heading(closing.group(1)) if closing else "") or addressees_in(text)


def _is_heading(line: str) -> bool:
    title = _last_language(line)
    return bool(_SECTION.match(title)) and len(title.split()) <= 8 and not line.rstrip().endswith((".", ","))


def _last_language(line: str) -> str:
    """A bilingual heading's last part: a Welsh partnership heads its sections in both languages ("9. Argymhellion /
    Recommendations", "Atodiad 1 / Appendix 1: Terms of Reference")."""
    return line.rsplit(" / ", 1)[1] if " / " in line and len(line.split()) <= 2 * 8 + 1 else line


# a bulleted line ("•", a PDF's Symbol-font "\uf0b7")
_BULLET = re.compile(r"^[•●▪■◦\uf0b7\uf0a7]\s*(\S.*)$")
# a field line naming an item's body: "Lead agency: Kent Police", "Responsible organisation: Northvale ICB"
_AGENCY_LINE = re.compile(r"^(?:lead |responsible )?(?:agency|organisation|body)\s*:\s*\S", re.IGNORECASE)
# the answer a body printed under each recommendation to it ("MPS response: ...", "Council response:", "Update:",
# "Action taken:"): no part of the recommendation, nor of the next
_ANSWER = re.compile(
    r"^(?:[A-Z][\w’'&]*\s+){0,4}(?:[Rr]esponse|[Rr]eply|[Uu]pdate|[Pp]rogress(?: update)?|[Aa]ction taken|[Ss]tatus)"
    r"\s*:"
)


def _from_sections(lines: list[str], scope: _Scope) -> list[tuple[str, str, str]]:
    """Numbered items under a "Recommendations" heading, each running on until the next item or heading.
    A section with no numbered items gives its paragraphs that ask for something ("should", "will", "must"),
    numbered in order: some summaries set their recommendations out as plain paragraphs. A heading naming a body
    inside the section ("Home Office") neither ends it nor joins the item before: the items after it are that
    body's."""
    found: list[tuple[str, str, str]] = []
    items: list[list[str]] = []  # number, text, addressee
    paragraphs: list[list[str]] = []  # text, addressee
    inside = paragraph_open = item_open = in_parts = False
    own: list[str] = []  # the last item's lines, as they are printed
    paged = _paged(lines)
    page_width = max(map(len, lines), default=0)
    # "Lead agency: Kent Police" under each item names its body (set out before the section's first item, such a
    # line names the body of the items below it instead: the heading scope's)
    leads_follow = False
    listing = False  # a numbered lead-in ("5.1 The panel makes the following recommendations:"): bullets are items
    lead_before = ""  # the body the last such line under an item named: the scope of the lines after it
    between: list[str] = []  # a PDF's paragraph after an item that ended: the item's next one if another item follows

    def close_section() -> None:
        kept = [(number, body, addressee) for number, body, addressee in items if not _ABOUT_THEM.match(body)]
        if kept:
            found.extend(kept)
        else:
            # ... and "That Kent Police review ...", a recommendation's form with no "should"
            asking = [p for p in paragraphs if _ASKS.search(p[0]) or p[0].startswith("That ") and addressee_in(p[0])]
            found.extend((str(i), body, addressee) for i, (body, addressee) in enumerate(asking, start=1))
        items.clear()
        paragraphs.clear()

    blank_before = False
    for index, line in enumerate(lines):
        if not line:
            paragraph_open, blank_before = False, True
            continue
        heading_after_blank, blank_before = blank_before, False
        title = _heading_title(line)
        if title is not None or index in scope.headings:
            between.clear()
        if title is not None and _REC_HEADING.search(title) and not _STOP_HEADING.search(title):
            if _page_number_follows(lines, index):
                continue  # a contents list's entry ("4) RECOMMENDATIONS" / "31"), not the section
            close_section()
            inside, paragraph_open, item_open, listing = True, False, False, False
            continue
        if item_open and leads_follow and _AGENCY_LINE.match(line):
            items[-1][2] = lead_before = body_heading(line)
            item_open = False  # the lines after it ("Target date: ...") are the item's other fields
            continue
        if index in scope.headings:
            paragraph_open = item_open = False
            continue
        if title is not None and inside and _REACH_HEADING.match(title):
            paragraph_open = item_open = False
            continue
        if title is not None and inside:
            if _STOP_HEADING.search(title) or line.isupper() or (items and heading_after_blank):
                close_section()
                inside = False
                continue
        if not inside or _HEADER.match(line) and not line[:1].islower() or _PARAGRAPH.match(line):
            continue
        item = _ITEM.match(line) if title is None else None
        bullet = _BULLET.match(line) if title is None else None
        if item and _NOT_AN_ITEM.match(item.group(2)):
            listing = item.group(2).endswith(":")  # "5.1 The Review Panel makes the following recommendations:"
            continue
        if bullet and listing and not (items and item_open and items[-1][1].endswith(":")):
            number = str(sum(1 for i in items if i[0].isdigit()) + 1)  # numbered in order, as the bullets stand
            items.append([number, bullet.group(1), scope.addressees[index]])
            item_open, own = True, [line]
            continue
        if item and items and item_open and (in_parts or items[-1][1].endswith(":")) and _LETTERED.match(line):
            items[-1][1] = _joined(items[-1][1], line)  # its parts: "..., including:" / "a) a campaign ..."
            in_parts = True
            continue
        in_parts = in_parts and not item
        listing = listing and not item
        if item and between and _ASKS.search(between[0]):
            items[-1][1] = _joined(items[-1][1], " ".join(between))  # "The service should report ..." / "4) ..."
        if item:
            between.clear()
            if not items:
                leads_follow = not scope.addressees[index]
            above = scope.addressees[index]
            items.append([item.group(1), item.group(2), "" if leads_follow and above == lead_before else above])
            item_open, own = True, [line]
        elif items:
            if _ANSWER.match(line):
                item_open = False
                between.clear()
            elif item_open and paged and _ends(own, line, page_width):
                item_open = False  # a PDF's paragraph after the last item ("The panel found that ...")
                between.append(line)
            elif item_open:
                items[-1][1] = _joined(items[-1][1], line)
                own.append(line)
            elif between:
                between.append(line)
        elif paragraph_open and not bullet:
            paragraphs[-1][0] = _joined(paragraphs[-1][0], line)
        else:  # a PDF gives no blank line between bullets: each opens its paragraph
            paragraphs.append([bullet.group(1) if bullet else line, scope.addressees[index]])
            paragraph_open = True
    close_section()
    return found


# the TeX escapes a converted document can carry in place of a character ("\\pounds 15.8 billion")
_TEX_ESCAPES = {"pounds": "£", "euro": "€", "&": "&", "%": "%", "$": "$", "_": "_", "#": "#"}
_TEX_ESCAPE = re.compile(r"\\(pounds|euro|[&%$_#])(?:\{\}|\s(?=\d))?")


def _plain(text: str) -> str:
    """``text`` without markup: HTML tags (``<u>``) and entities read by lxml, TeX escapes as their character."""
    if "<" in text or "&" in text:
        text = html.fragment_fromstring(text, create_parent="p").text_content()
    text = _TEX_ESCAPE.sub(lambda m: _TEX_ESCAPES[m.group(1)], text)
    return " ".join(text.split())


def _once(found: list[tuple[str, str, str]]) -> list[FoundRecommendation]:
    kept: list[FoundRecommendation] = []
    for number, text, addressee in found:
        text = _plain(text)
        if len(text.split()) < 4:
            continue
        addressee = re.sub(r"^the\s+", "", addressee.strip() or addressees_in(text), flags=re.IGNORECASE)
        number = re.sub(r"^Rec\.\s?", "", number.strip())  # "Rec. 3" is recommendation 3, as "Recommendation 3" is
        candidate = FoundRecommendation(number, text, addressee, is_national(addressee))
        same = next((i for i, k in enumerate(kept) if _same(k, candidate)), None)
        if same is None:
            kept.append(candidate)
        elif len(candidate.text) > len(kept[same].text) or (candidate.addressee and not kept[same].addressee):
            kept[same] = FoundRecommendation(
                kept[same].number or candidate.number,
                max(candidate.text, kept[same].text, key=len),
                kept[same].addressee or candidate.addressee,
                kept[same].national or candidate.national,
            )
    return kept


def _same(a: FoundRecommendation, b: FoundRecommendation) -> bool:
    if a.text == b.text:
        return True
    shorter, longer = sorted((a.text, b.text), key=len)
    if a.number == b.number and fuzz.partial_ratio(shorter, longer) >= DUPLICATE_SIMILARITY:
        return True
    return fuzz.ratio(a.text, b.text) >= 97
