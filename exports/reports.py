"""Word documents for chairs and boards: pure builders from domain objects to .docx bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.dates import long_date
from core.workspace import WorkspaceSettings
from exports.docx_base import new_document, prompt, table, to_bytes
from recommendations import plan
from recommendations.figures import AGENCY_COLUMNS
from reviews.deadlines import STATUS_LABELS, Deadline
from reviews.pauses import PAUSE_REASONS
from reviews.qa import AREA_STATUSES, AREA_THEMES, OUTCOMES, Submission
from reviews.records import Review
from reviews.stages import STANDINGS


def _d(day: date | None) -> str:
    return long_date(day) if day else "not yet"


def _on(day: date | None) -> str:
    """The words " on 3 August 2022" after a verb, or nothing where the date is not recorded."""
    return f" on {long_date(day)}" if day else ""


def _title(review: Review, document: str) -> str:
    """The document's title, such as DHR-2026-02: Overview report – Ava. The review type is named only when
    the reference does not start with it (joint DHR/SAR DHR-2025-04), never as DHR DHR-2026-02."""
    named = review.reference.upper().startswith(review.review_type.upper())
    reference = review.reference if named else f"{review.review_type} {review.reference}"
    return f"{reference}: {document} – {review.pseudonym}"


STAGE_SENTENCES = {  # stage: (done on a day, done on a day nobody recorded, not yet done)
    "decision": (
        "The decision to {decision} a review was made on {day}.",
        "The decision to {decision} a review was made; its date is not recorded.",
        "The decision whether to hold a review has not yet been made.",
    ),
    "home_office_notified": (
        "The Home Office was notified on {day}.",
        "The date the Home Office was notified is not recorded.",
        "The Home Office has not yet been notified of the decision.",
    ),
}


def _stage_sentence(review: Review, stage: str) -> str:
    """A sentence saying when a stage was done, that its date is not recorded, or that it is still to come."""
    done, unrecorded, to_come = STAGE_SENTENCES[stage]
    decision = {"hold": "hold", "not_to_hold": "not hold"}.get(review.decision, "")
    if review.stage_dates.get(stage):
        return done.format(decision=decision or "hold or not hold", day=_d(review.stage_dates[stage]))
    return unrecorded.format(decision=decision) if stage in review.missing_stages else to_come


def _timescales(document, review: Review, deadlines: Sequence[Deadline]) -> None:
    document.add_paragraph(
        f"The death was notified to {review.csp} on {_d(review.notification_date)}. "
        + " ".join(_stage_sentence(review, stage) for stage in ("decision", "home_office_notified"))
    )
    statutory = [d for d in deadlines if d.deadline != "agency_return"]
    table(
        document,
        ["Timescale", "Due", "Status", "Basis and rule"],
        [
            [d.label, _d(d.due) if d.due else "paused", STATUS_LABELS[d.status], f"{d.basis}: {d.rule}"]
            for d in statutory
        ],
        [5, 3, 2.5, 6.5],
    )
    if review.pauses:
        document.add_paragraph("The review was paused for parallel proceedings:")
        for pause in review.pauses:
            document.add_paragraph(
                f"{PAUSE_REASONS[pause.reason]} from "
                f"{long_date(pause.start) if pause.start else 'a date not recorded'} "
                f"to {_d(pause.end) if pause.end else 'date'}"
                + (f" ({pause.details})" if pause.details else "")
                + (", agreed with the Home Office." if pause.agreed_with_home_office else "."),
                style="List Bullet",
            )


def _panel(document, review: Review) -> None:
    if review.panel:
        table(
            document, ["Name", "Agency", "Role"], [[p["name"], p["agency"], p["role"]] for p in review.panel], [5, 6, 5]
        )
    else:
        prompt(document, "List the panel members, their agencies and roles, and confirm their independence.")


def _returns(document, review: Review) -> None:
    if review.returns:
        table(
            document,
            ["Agency", "Contribution", "Requested", "Received"],
            [[r.agency, r.kind, _d(r.requested), _d(r.received)] for r in review.returns],
            [6, 3.5, 3.5, 3.5],
        )
    else:
        prompt(document, "List the agencies that provided IMRs, chronologies or summary reports.")


def _recommendations(document, recommendations: Sequence[plan.Recommendation]) -> None:
    if not recommendations:
        prompt(document, "Set out each recommendation, linked to the finding it answers, SMART and owned.")
        return
    for rec in recommendations:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(f"{rec.text} ").bold = False
        detail = [rec.scope]
        if rec.target_agencies:
            detail.append(", ".join(rec.target_agencies))
        if rec.themes:
            detail.append("themes: " + ", ".join(plan.theme_labels(None).get(t, t) for t in rec.themes))
        paragraph.add_run(f"({'; '.join(detail)})").italic = True
        if rec.finding:
            document.add_paragraph(f"Finding: {rec.finding}", style="List Continue")


SECTION_PROMPTS = {
    "Confidentiality": "Confirm that the findings are confidential until publication, that the pseudonym was agreed "
    "with the family, and that the report names no one else who could be identified.",
    "Terms of reference": "Set out the terms of reference agreed by the panel, the period the review covers and why.",
    "Methodology": "Describe how the review was conducted: IMRs, chronologies, interviews and panel meetings.",
    "Involvement of family, friends and others": "Describe how the family, friends, neighbours and colleagues were "
    "approached, who took part, and how their views shaped the review.",
    "Equality and diversity": "Consider each protected characteristic under the Equality Act 2010 and any other "
    "barriers to the victim seeking or receiving help.",
    "Dissemination": "List who will receive the report and the executive summary once the Home Office has "
    "approved them.",
    "Background information": "Summarise the victim's and perpetrator's circumstances and relationship, without "
    "identifying details.",
    "Overview": "Summarise what each agency knew and did, in the order events happened.",
    "Analysis": "Analyse each significant contact: what was known, what was done, and why; what could have been done "
    "differently. Analyse, do not describe.",
    "Conclusions": "State the conclusions the panel draws from the analysis, including whether the death was "
    "predictable or preventable.",
    "Lessons to be learnt": "State each lesson for agencies and for the partnership.",
}


def _chair_document(review: Review, kind: str, *, chair_name: str, branding: WorkspaceSettings, published: bool):
    """A new document the chair writes ("Overview report", "Executive summary"): titled for the review, the
    chair its author, marked a draft until ``published``."""
    return new_document(
        _title(review, kind),
        subject=f"{review.review_type} {kind.lower()}",
        author=chair_name,
        branding=branding,
        published=published,
    )


def overview_report(
    review: Review,
    deadlines: Sequence[Deadline],
    recommendations: Sequence[plan.Recommendation],
    chronology: Sequence[dict],
    *,
    chair_name: str,
    branding: WorkspaceSettings,
    published: bool = False,
) -> bytes:
    """The overview report draft in the structure chairs use, filled with everything the app holds."""
    document = _chair_document(review, "Overview report", chair_name=chair_name, branding=branding, published=published)
    document.add_paragraph(
        f"{review.csp} · Report into the death of {review.pseudonym} · "
        f"{'Published version' if published else 'Draft for the review panel'}"
    )
    document.add_heading("Introduction", 1)
    document.add_paragraph(
        f"This report of a {review.review_type} examines how agencies responded to, and supported, {review.pseudonym}, "
        f"who died{_on(review.death_date)}. The review was commissioned by {review.csp} under section 9 of the "
        "Domestic Violence, Crime and Victims Act 2004."
    )
    prompt(document, "Add the circumstances of the death in one or two sentences, and offer condolences to the family.")
    document.add_heading("Timescales", 1)
    _timescales(document, review, deadlines)
    for name in ("Confidentiality", "Terms of reference", "Methodology", "Involvement of family, friends and others"):
        document.add_heading(name, 1)
        if name == "Terms of reference" and "terms_of_reference" in review.stages:
            document.add_paragraph(
                f"The panel agreed terms of reference on {_d(review.stage_dates['terms_of_reference'])}."
            )
        if name == "Confidentiality":
            document.add_paragraph(f"The pseudonym {review.pseudonym} is used throughout this report.")
        prompt(document, SECTION_PROMPTS[name])
    document.add_heading("Contributors to the review", 1)
    if review.agencies:
        document.add_paragraph("Agencies involved: " + ", ".join(review.agencies) + ".")
    _returns(document, review)
    document.add_heading("The review panel", 1)
    _panel(document, review)
    document.add_heading("Author of the overview report", 1)
    document.add_paragraph(f"The independent chair and author is {chair_name or 'to be appointed'}.")
    prompt(document, "State the chair's experience and independence from the agencies involved.")
    document.add_heading("Parallel reviews", 1)
    if review.pauses:
        for pause in review.pauses:
            document.add_paragraph(
                f"{PAUSE_REASONS[pause.reason]}: {pause.details or 'details to add'}.", style="List Bullet"
            )
    else:
        prompt(document, "Record any criminal proceedings, inquest, IOPC investigation or other statutory review.")
    for name in ("Equality and diversity", "Dissemination", "Background information"):
        document.add_heading(name, 1)
        prompt(document, SECTION_PROMPTS[name])
    document.add_heading("Chronology", 1)
    if chronology:
        table(
            document,
            ["Date", "Agency", "Event", "Source"],
            [[c["date_label"], c["agency"], c["event"], c["source_reference"]] for c in chronology],
            [3, 3.5, 8, 2.5],
        )
    else:
        prompt(document, "Insert the combined chronology (Chronology tool on the review page).")
    for name in ("Overview", "Analysis", "Conclusions", "Lessons to be learnt"):
        document.add_heading(name, 1)
        prompt(document, SECTION_PROMPTS[name])
    document.add_heading("Recommendations", 1)
    _recommendations(document, recommendations)
    return to_bytes(document)


def executive_summary(
    review: Review,
    deadlines: Sequence[Deadline],
    recommendations: Sequence[plan.Recommendation],
    *,
    chair_name: str,
    branding: WorkspaceSettings,
    published: bool = False,
) -> bytes:
    document = _chair_document(
        review, "Executive summary", chair_name=chair_name, branding=branding, published=published
    )
    document.add_heading("The review process", 1)
    document.add_paragraph(
        f"This summary outlines the process undertaken by {review.csp} in reviewing the death of {review.pseudonym}"
        f"{_on(review.death_date)}."
    )
    _timescales(document, review, deadlines)
    document.add_heading("Contributors and the review panel", 1)
    document.add_paragraph("Agencies involved: " + (", ".join(review.agencies) or "to be listed") + ".")
    _panel(document, review)
    document.add_paragraph(f"Independent chair and author: {chair_name or 'to be appointed'}.")
    document.add_heading("Summary of the case", 1)
    prompt(document, "Summarise the background and the key events, consistent with the overview report.")
    document.add_heading("Key findings and conclusions", 1)
    prompt(document, "Summarise the analysis and conclusions, consistent with the overview report.")
    document.add_heading("Lessons to be learnt", 1)
    prompt(document, SECTION_PROMPTS["Lessons to be learnt"])
    document.add_heading("Recommendations", 1)
    _recommendations(document, recommendations)
    return to_bytes(document)


def action_plan(
    review: Review, recommendations: Sequence[plan.Recommendation], today: date, *, branding: WorkspaceSettings
) -> bytes:
    document = new_document(_title(review, "Action plan"), subject="DHR action plan", branding=branding, landscape=True)
    document.add_paragraph(f"Status at {_d(today)}. RAG is derived from dates and status unless an officer set it.")
    rows = []
    for rec in recommendations:
        for action in rec.actions or [None]:
            if action is None:
                rows.append([rec.number, rec.text, rec.scope, "No action yet", "", "", "", "", ""])
                continue
            progress = "; ".join(f"{p.noted_on:%d/%m/%Y} {p.note}" for p in action.progress[-3:])
            evidence = f"\nEvidence: {action.evidence}" if action.evidence else ""
            rag = action.rag(today).capitalize() + (" (set by officer)" if action.rag_override else "")
            rows.append(
                [
                    rec.number,
                    rec.text,
                    rec.scope,
                    action.description,
                    action.owner_agency,
                    action.lead_officer,
                    _d(action.target_date) if action.target_date else action.target_text or "–",
                    f"{plan.STATUSES[action.status]} / {rag}",
                    (progress + evidence).strip(),
                ]
            )
    table(
        document,
        [
            "No.",
            "Recommendation",
            "Scope",
            "Action",
            "Owner agency",
            "Lead officer",
            "Target date",
            "Status / RAG",
            "Progress and evidence",
        ],
        rows,
        [1, 4.1, 1.8, 4, 2.6, 2.2, 2.5, 2.4, 4.6],  # a target's month whole: "30 September 2025"
    )
    return to_bytes(document)


def qa_log(review: Review, submissions: Sequence[Submission], *, branding: WorkspaceSettings) -> bytes:
    document = new_document(_title(review, "Home Office QA response log"), subject="QA response log", branding=branding)
    if not submissions:
        prompt(document, "The review has not yet been submitted to the Home Office Quality Assurance Panel.")
    for submission in submissions:
        document.add_heading(f"Round {submission.round}", 1)
        table(
            document,
            ["Sent", "Panel met", "Letter", "Outcome"],
            [
                [
                    _d(submission.sent_on),
                    _d(submission.panel_date),
                    _d(submission.letter_date),
                    OUTCOMES.get(submission.outcome, "Awaiting the letter"),
                ]
            ],
            [4, 4, 4, 5],
        )
        if submission.areas:
            table(
                document,
                ["No.", "Area for development", "Theme", "Status", "Response", "Answered"],
                [
                    [
                        a.number,
                        a.text,
                        AREA_THEMES[a.theme],
                        AREA_STATUSES[a.status],
                        a.response,
                        f"{a.answered_by_name} {_d(a.answered_on) if a.answered_on else ''}".strip(),
                    ]
                    for a in submission.areas
                ],
                [1, 5, 3, 2.2, 5, 2.5],
            )
    return to_bytes(document)


def board_report(
    figures: dict,
    *,
    branding: WorkspaceSettings,
    agency_rows: Sequence[dict],
    today: date,
    theme_rows: Sequence[dict] = (),
) -> bytes:
    """The quarter's figures; ``agency_rows`` as the app's pages show them (``agency_table``: "50%", "–")."""
    document = new_document(
        f"Domestic Homicide Reviews: board report {figures['quarter']}",
        subject="Partnership board report",
        branding=branding,
    )
    document.add_paragraph(
        f"{branding.partnership_name} · figures for {_d(date.fromisoformat(figures['from']))} to "
        f"{_d(date.fromisoformat(figures['to']))} · prepared {_d(today)}"
    )
    document.add_heading("Reviews", 1)
    table(
        document,
        ["Measure", "Figure"],
        [
            ["Reviews opened (decision to hold)", figures["reviews_opened"]],
            ["Reviews closed", figures["reviews_closed"]],
            [f"{STANDINGS['in_progress']} at the end of the quarter", figures["reviews_in_progress_at_end"]],
            [f"{STANDINGS['closing']}, at the end of the quarter", figures["reviews_published_not_closed_at_end"]],
            ["Statutory deadlines met", figures["statutory_deadlines_met"]],
            ["Statutory deadlines missed", figures["statutory_deadlines_missed"]],
        ],
        [11, 4],
    )
    document.add_heading("Home Office quality assurance", 1)
    if figures["qa_outcomes"]:
        table(document, ["Outcome", "Letters"], list(figures["qa_outcomes"].items()), [11, 4])
    else:
        document.add_paragraph("No QA letters were received this quarter.")
    document.add_heading("Recommendations and actions", 1)
    table(
        document,
        ["Measure", "Figure"],
        [
            ["Actions completed this quarter", figures["actions_completed"]],
            ["… of which on time", figures["actions_completed_on_time"]],
            [
                "Recommendations fully implemented",
                f"{figures['recommendations_fully_implemented']} of {figures['recommendations_total']}",
            ],
            ["RAG at the end of the quarter", ", ".join(f"{k} {v}" for k, v in sorted(figures["rag_at_end"].items()))],
        ],
        [11, 4],
    )
    document.add_heading("Overdue actions by agency", 1)
    if figures["actions_overdue_by_agency"]:
        table(document, ["Agency", "Overdue actions"], list(figures["actions_overdue_by_agency"].items()), [11, 4])
    else:
        document.add_paragraph("No action is overdue.")
    document.add_heading("Implementation by agency", 1)
    columns = [AGENCY_COLUMNS[k] for k in ("agency", "actions", "complete", "overdue", "pct_complete", "not_known")]
    columns.append(AGENCY_COLUMNS["pct_complete_on_time"])
    table(document, columns, [[row[c] for c in columns] for row in agency_rows], [4.5, 1.8, 1.8, 1.8, 2, 2.2, 2.4])
    document.add_heading("Themes in the lessons learned", 1)
    if theme_rows:
        document.add_paragraph(
            "The themes that recur most across the library documents partners may read, and the "
            "recommendations made on each with how many of their actions are complete. Documents counts the "
            "documents about each theme; Reviews the reviews in the register they are linked to (a published "
            "review of another partnership, linked to none, counts as a document only)."
        )
        table(
            document,
            ["Theme", "Documents", "Reviews", "Recommendations", "Actions complete"],
            [
                [r["label"], r["documents"], r["reviews"], r["recommendations"], r["actions_complete"]]
                for r in theme_rows
            ],
            [6.5, 2.2, 2, 2.8, 3],
        )
    else:
        document.add_paragraph("No library documents are tagged with themes yet.")
    return to_bytes(document)


def chronology(review: Review, rows: Sequence[dict], *, branding: WorkspaceSettings) -> bytes:
    """The combined chronology as a landscape Word table."""
    document = new_document(
        _title(review, "Combined chronology"), subject="Combined chronology", branding=branding, landscape=True
    )
    document.add_paragraph(
        "Partial dates (a month or a year) are listed at the start of their period. "
        "Entries marked as possible duplicates are for the chair to confirm."
    )
    table(
        document,
        ["Date", "Time", "Agency", "Event", "Source reference", "Note"],
        [[r["date_label"], r["time"], r["agency"], r["event"], r["source_reference"], r["note"]] for r in rows],
        [2.6, 1.3, 3.6, 11.3, 3, 3.4],
    )
    return to_bytes(document)
