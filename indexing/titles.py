"""A document's title and year, read from its own text at ingest, never from its file name.

A report or strategy opens with its title: a heading (Word, HTML, Markdown), or, in text taken from a
PDF or a web page, a few short lines before the contents and the body ("Domestic and Sexual Violence /
A Strategy for Action in Harrow / 2014 - 2017"). Web pages and PDF viewers put their own furniture
first ("SOURCE: https://...", "Skip to content", "Upload", page counts), which is passed over, and so is
a PDF's running page header ("Tarnby Community Safety Partnership | Learning Brief | 2024"), which its
text puts before the cover's own title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from indexing.extract import Extracted

OPENING_CHARS = 1_500  # where a title, and the year it states, are looked for
MAX_TITLE_CHARS = 120
MAX_TITLE_LINES = 3
MAX_CANDIDATE_LINES = 6  # lines read for a title before settling for the first one, shortened
RUNNING_TITLE_CHARS = 20_000  # where a line naming the document is looked for when the opening has no title
# a line that says what the document is
NAMES_A_DOCUMENT = re.compile(
    r"\b(?:strategy|plan|report|review|summary|brief|briefing|minutes|letter|analysis|guide|guidance|protocol"
    r"|policy|framework)\b",
    re.IGNORECASE,
)
# lines that end a title block: what follows a cover page
SECTION_WORDS = frozenset(
    {
        "contents",
        "table of contents",
        "foreword",
        "preface",
        "introduction",
        "agenda",
        "date and time",
        "venue",
        "summary",
        "transcription",
    }
)
# what a web page or a document viewer prints before the document
FURNITURE = re.compile(
    r"^(source:|https?://|www\.|skip to|upload$|view$|download|others$|embed size|citation preview|size: px"
    r"|start display at page|home office logo$|research and analysis$|source ·|•|\d+ \| ?p ?a ?g ?e"
    r"|government protective marking|under section 9 of)",
    re.IGNORECASE,
)
# a protective marking before the title ("RESTRICTED Final Version ...")
MARKING = re.compile(r"^(RESTRICTED|OFFICIAL(-| - )SENSITIVE|OFFICIAL|CONFIDENTIAL)\b[\s:–-]*")
PAGE_LABEL = re.compile(r"^Page \d{1,4}\s*[:–-]\s*", re.IGNORECASE)  # a viewer's "Page 1: " before a page's text
YEAR = re.compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)")
MARKUP = re.compile(r"<[^>]{1,40}>")
# 2: a PDF's running page header gives way to its cover's title (``_after_page_header``); 3: a logo line naming the
# organisation gives way to the heading after it (``_heading_after_logo``), and a shouted line keeps its acronyms;
# 4: a masthead, in any case and wherever a PDF wraps it, gives way to the heading after it that names the review or
# brief (``_after_masthead``), and a wrapped sentence is never a title
TITLES_VERSION = 4
HEADER_LINES = 2  # a page header is one line, or two where it wraps
# a PDF's properties naming the file it was made from, or nothing, rather than the document
NO_TITLE = re.compile(r"^(microsoft (word|powerpoint) - |untitled\b|title$|document\d*$)|\.(docx?|pdf|rtf|odt)$", re.I)


@dataclass(frozen=True)
class DocumentTitle:
    title: str | None  # None when the text opens with nothing that reads as a title
    year: int | None  # the latest year the opening states, if any
    # the title is a running header found past the opening: it names the document (for people and keyword
    # search) but is no context for its passages' meaning (``indexing.chunking.embedding_text``): put in front of
    # every table passage of a plan it moved them all in meaning search, and pushed a real answer that keyword
    # search ranks first off the first page (tests/test_search_quality.py, "getting ready to look at properties")
    running_header: bool = False

    def search_context(self, title: str) -> str:
        """What a passage of a document titled ``title`` is encoded in for search: that title, unless it is this
        running header (no context for the passages' meaning)."""
        return "" if self.running_header and title == self.title else title


def _lines(text: str, chars: int = OPENING_CHARS) -> list[str]:
    lines = []
    for raw in text[:chars].splitlines():
        if raw.count("\t") > 1:  # a table's row, its columns run together
            continue
        line = PAGE_LABEL.sub("", MARKING.sub("", " ".join(MARKUP.sub("", raw).split())))
        if len(line) > 2 and not line.isdigit() and not FURNITURE.match(line):
            lines.append(line)
    return lines


def _is_title_line(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 20
        and len(line) <= MAX_TITLE_CHARS
        and not line.endswith((".", ",", ";", ":"))
        and not line[0].islower()
        and line.lower() not in SECTION_WORDS
    )


def _continues_title(line: str) -> bool:
    """A cover page's next line: short, and a period ("2014 - 2017") or words in a title's grammar ("A
    Strategy for Action in Harrow"), not a name or an address ("Sam Peterson")."""
    return (
        len(line) <= 60
        and (YEAR.search(line) is not None or any(word.islower() for word in line.split()))
        and ":" not in line
        and line.lower() not in SECTION_WORDS
        and not line.endswith((".", ",", ";"))
        and not line[0].islower()
    )


# a cover's pseudonym under a review's title ("Domestic Homicide Review" / "Sarah", "'Scott'"): one word
PSEUDONYM = re.compile(r"^[‘'“\"]?[A-Z][a-z]+[’'”\"]?$")
NAMES_A_CASE = re.compile(r"\b(?:review|report|summary)\b", re.IGNORECASE)
# a title line that names its case after a colon ("Learning from the Domestic Homicide Review: Anna") is whole: a
# short line after it is the first section's heading ("What happened"), not more of the title
CASE_NAMED = re.compile(r":\s*" + PSEUDONYM.pattern.removeprefix("^"))
# a line naming only an organisation, as a cover's first line often does
ORGANISATION = re.compile(r"\b(?:partnership|council|board|trust|borough)$", re.IGNORECASE)
# a logo's placeholder a Word template leaves before the organisation's name ("[Logo] Eastmere Community Safety ...")
LOGO_TAG = re.compile(r"^\[(?:logo|image|picture|insert logo)[^\]]{0,30}\]\s*", re.IGNORECASE)
# the words that say only what kind of document it is: a heading of these alone ("Domestic Homicide Review: Overview
# Report") names no case, and keeps the organisation it is under in front of it
KIND_WORDS = frozenset(
    "domestic homicide review reviews dhr overview report executive summary learning brief briefing final "
    "the of and into a safeguarding adult adults".split()
)


def _tidy(line: str) -> str:
    """A shouted cover line ("SAFER COMMUNITIES PARTNERSHIP BOARD") in the case people write titles in, its acronyms
    kept ("CALDER MOOR CSP" -> "Calder Moor CSP", never "Csp")."""
    if not (line.isupper() and len(line) > 4):
        return line
    return " ".join(word if _acronym(word) else word.title() for word in line.split(" "))


def _acronym(word: str) -> bool:
    """Whether a word in capitals is an acronym: two to five letters with no vowel ("CSP", "NHS", "GP") or that
    are no word of everyday English ("VAWG", "MARAC", "SAB"; wordfreq's Zipf scale below 3)."""
    letters = word.strip("()[],.:;'’‘\"“”-–")
    if not (2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()):
        return False
    if not set(letters) & set("AEIOU"):
        return True
    from wordfreq import zipf_frequency  # imported here: it takes a moment to load

    return zipf_frequency(letters.lower(), "en") < 3.0


def _heading_after_logo(extracted: Extracted) -> str | None:
    """A Word or web document that opens with one line in capitals naming its organisation (a logo line, "CALDER
    MOOR CSP", "RIBBLETON COMMUNITY SAFETY PARTNERSHIP") and then its first heading ("DHR 'Gemma'"): the heading is
    the title, the logo line furniture."""
    first = next(iter(extracted.headings), None)
    if not first or not first[0] or len(first[1]) > 200:
        return None
    before = _lines(extracted.text[: first[0]])
    if len(before) != 1 or not before[0].isupper():
        return None
    logo = before[0]
    return _shortened(first[1]) if ORGANISATION.search(logo) or _acronym(logo.split()[-1]) else None


def _masthead(lines: list[str] | tuple[str, ...], partnership: str = "") -> tuple[str, int]:
    """The organisation a cover opens with and how many of its lines it takes: a line that is only an organisation's
    name, in any case, its logo's placeholder aside ("Eastmere Community Safety Partnership", "[Logo] Westmere
    Community Safety Partnership", "CALDER MOOR CSP"), or the workspace's ``partnership``, or such a name a PDF
    wrapped ("Fenbridge Safer Communities" / "Partnership"); ("", 0) where the cover opens otherwise."""
    for taken in (1, 2):
        name = LOGO_TAG.sub("", " ".join(lines[:taken]))
        own = bool(partnership) and name.casefold() == " ".join(partnership.split()).casefold()
        if len(lines) >= taken and (taken == 1 or len(lines[1].split()) <= 2) and (own or _organisation(name)):
            return _tidy(name), taken
    return "", 0


def _organisation(line: str) -> bool:
    return (
        1 <= len(line.split()) <= 8
        and ":" not in line
        and "|" not in line
        and not NAMES_A_DOCUMENT.search(line)
        and (ORGANISATION.search(line) is not None or line.endswith(" CSP"))
    )


def _after_masthead(extracted: Extracted, lines: list[str], partnership: str) -> str | None:
    """Where a cover opens with a masthead (``_masthead``), the first heading after it that names the review or brief
    (``_named_at``): a PDF's heading in the largest type, a Word document's heading, or such a line with the short lines
    that continue it; a heading that says only what kind of document it is ("Domestic Homicide Review: Overview
    Report") stays under the organisation's name. None where there is none."""
    organisation, taken = _masthead(lines, partnership)
    if not taken:
        return None
    cover = extracted.cover_heading
    headings = {text for _, text in extracted.headings}
    if cover and not _masthead(cover)[1] and _named_at([_joined(cover)], 0, NAMES_A_DOCUMENT):
        title = _joined(cover)
    else:
        last = min(len(lines), taken + MAX_CANDIDATE_LINES)
        found = (
            lines[n] if lines[n] in headings else _named_at(lines, n, NAMES_A_DOCUMENT)
            for n in range(taken, last)
            if _named_at(lines, n, NAMES_A_DOCUMENT)
        )
        title = next(found, None)
        if title is None:
            return None
    only_its_kind = set(re.findall(r"[a-z0-9]+", title.lower())) <= KIND_WORDS
    return _shortened(f"{organisation}: {title}" if only_its_kind else title)


def _shortened(line: str) -> str:
    if len(line) <= MAX_TITLE_CHARS:
        return line
    return line[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-–|") + "…"


def _block(lines: list[str], start: int) -> str:
    """The title that starts at ``lines[start]``, with the cover's short lines that continue it."""
    block = [lines[start]]
    for following in lines[start + 1 : start + MAX_TITLE_LINES]:
        if YEAR.search(block[-1]) or CASE_NAMED.search(block[-1]):  # a year, or the case named, ends a cover's title
            break
        pseudonym = PSEUDONYM.match(following) and NAMES_A_CASE.search(" ".join(block))
        if not (pseudonym or _continues_title(following)):
            break
        block.append(following)
    parts = [_tidy(part) for part in block]
    return parts[0] + (": " + " ".join(parts[1:]) if len(parts) > 1 else "")


def _from_lines(lines: list[str]) -> str | None:
    for start, line in enumerate(lines[:MAX_CANDIDATE_LINES]):
        if _is_title_line(line):
            return _block(lines, start)
    return None


def _running_title(text: str) -> str | None:
    """For an opening with no line that reads as a title (a plan's table from its first line), the running
    header a PDF repeats on its pages ("London Borough of Barnet Domestic Violence ... Action Plan"): the first
    line further on that reads as a title, says what the document is and comes again; a line said once (an
    essay's "The report provided the following definition ...") is the text's, not its title."""
    lines = _lines(text, RUNNING_TITLE_CHARS)
    seen = Counter(lines)
    return next((_tidy(line) for line in lines if seen[line] > 1 and _named_document(line)), None)


def _named_document(line: str) -> bool:
    return _is_title_line(line) and NAMES_A_DOCUMENT.search(line) is not None


def _naming_the_case(lines: list[str], title: str, version: int) -> str | None:
    """A cover that opens with who wrote it ("Severnside Community Safety Partnership", as every report of
    that partnership does) names the case on a later line ("Domestic Homicide Review: Daniel"): the title is
    both, if the cover has such a line."""
    if NAMES_A_CASE.search(title) or not ORGANISATION.search(title):
        return None
    for start, line in enumerate(lines[:MAX_CANDIDATE_LINES]):
        named = line != title and _named_at(lines, start, NAMES_A_CASE, whole=version >= 4)
        if named:
            return _shortened(f"{title}: {named}")
    return None


def _named_at(lines: list[str], start: int, names: re.Pattern, *, whole: bool = True) -> str | None:
    """The title that starts at ``lines[start]`` where that line is a heading that says what the document is
    (``names``: "Learning brief 1: Coercive control at the dance studio", "Domestic Homicide Review: Daniel"), its large
    type wrapped after its colon or not ("Domestic Homicide Review:" / "David"); None where it is none, or (``whole``,
    since TITLES_VERSION 4) where it is a sentence a PDF wrapped ("A review found that welfare officers ... had" /
    "child safeguarding training ...")."""
    line, following = lines[start], lines[start + 1 : start + 2]
    if line.endswith(":") and following and PSEUDONYM.match(following[0]):
        line = line.rstrip(" :")  # large type wrapped after its colon: "Domestic Homicide Review:" / "David"
    if not _is_title_line(line) or not names.search(line) or (whole and following and following[0][0].islower()):
        return None
    return _block([*lines[:start], line, *lines[start + 1 :]], start)


def _year(text: str, latest: int) -> int | None:
    years = [int(y) for y in YEAR.findall(text[:OPENING_CHARS]) if int(y) <= latest]
    return max(years) if years else None


def _page_header(extracted: Extracted, lines: list[str]) -> int:
    """How many of the opening's first lines are a PDF's page header, not its title: lines that open two or
    more pages alike; or, on a page of its own, a first line separated by " | " or ending in a year, above a
    larger heading."""
    openings = Counter(
        line for _, start, end in extracted.pages for line in set(_lines(extracted.text[start:end])[:HEADER_LINES])
    )
    repeated = next((n for n, line in enumerate(lines[:HEADER_LINES]) if openings[line] < 2), HEADER_LINES)
    if repeated or not lines or not extracted.cover_heading or extracted.cover_heading[0] == lines[0]:
        return repeated
    return int(" | " in lines[0] or YEAR.search(lines[0][-4:]) is not None)


# the words a line of a heading breaks after, its phrase going on on the next ("... Violence Against" / "Women")
GOES_ON = re.compile(r"(?:[:–-]|\b(?:and|of|into|against|for|the|to|in|on|with|from|by|a|an))$", re.IGNORECASE)


def _joined(lines: tuple[str, ...]) -> str:
    """A heading set on several lines as one title: a line that goes on in lower case, or after a colon or a
    word that needs more, continues the one above ("Review of drugs part two:" / "prevention, treatment and
    recovery"); a line that starts anew is a part of its own ("Domestic Homicide Review" / "'Kayleigh'")."""
    title = _tidy(lines[0])
    for line in lines[1:]:
        title += (" " if GOES_ON.search(title) or line[0].islower() else ": ") + _tidy(line)
    return title


def _after_page_header(extracted: Extracted, lines: list[str]) -> str | None:
    """Where the opening starts with a page header (``_page_header``), the better line the first page
    offers: its heading in the largest type, or the title the PDF's properties give ("Microsoft Word -
    file.docx" is none). A first page in one size of type offers none: the line below its header may be the
    header's words again, wrapped otherwise ("Domestic Homicide Review Case 8 – Executive" / "Summary")."""
    header = _page_header(extracted, lines)
    if not header:
        return None
    heading = extracted.cover_heading
    if heading and heading[0] not in lines[:header] and _is_title_line(heading[0]):
        return _shortened(_joined(heading))
    meta = extracted.metadata_title
    if _is_title_line(meta) and not NO_TITLE.search(meta) and meta not in lines[:header]:
        return meta
    return None


def earlier_titles(extracted: Extracted) -> set[str]:
    """The titles releases before this TITLES_VERSION derived, in lower case (version 3 changed only the case of
    a shouted line's acronyms besides the logo line): what an older workspace holds for a document whose title no
    one typed. Before version 2 no layout was read; before version 3 a logo line was the title; before version 4 a
    masthead in any other case, or the sentence after it."""
    unlaid = Extracted(extracted.text, headings=extracted.headings, read_as=extracted.read_as)
    found = (derive_title(unlaid, version=2), derive_title(extracted, version=2), derive_title(extracted, version=3))
    return {t.title.casefold() for t in found if t.title}


def derive_title(
    extracted: Extracted, *, today: date | None = None, version: int = TITLES_VERSION, partnership: str = ""
) -> DocumentTitle:
    """The title the document gives itself, and the latest year its opening states (not after next year).

    A heading at the very start wins; then, where a PDF opens with a page header, its cover's heading in larger
    type or its own title property; otherwise the opening's first line that reads as a title (short, no full
    stop, no tab), with the short lines that continue it, or, failing that, the running header its pages repeat
    (``running_header``), or the first line shortened; a title that only names an organisation gives way to a
    later cover line that names the case. A masthead is passed over for the heading after it that names the review or
    brief (``_after_masthead``; ``partnership``: the workspace's, a masthead whatever its words), and so is a logo
    line before a Word or web document's first heading (``_heading_after_logo``); ``version``: the title an earlier
    TITLES_VERSION derived."""
    heading = next((text for offset, text in extracted.headings if offset == 0 and len(text) <= 200), None)
    lines = _lines(extracted.text)
    year = _year(extracted.text, (today or date.today()).year + 1)
    heading = heading or (_heading_after_logo(extracted) if version >= 3 else None)
    title = (
        (_after_masthead(extracted, lines, partnership) if version >= 4 else None)
        or heading
        or _after_page_header(extracted, lines)
        or _from_lines(lines)
    )
    if not title:
        running = _running_title(extracted.text)
        if running:
            return DocumentTitle(running, year, running_header=True)
        title = _shortened(lines[0]) if lines else None
    title = title and (_naming_the_case(lines, title, version) or title)
    return DocumentTitle(title, year)
