"""Correcting what was recorded wrongly, on the review and actions pages: an expander per kind of
record with a form to edit the chosen one and a form to delete it, which asks why. The rules (who
may, what must hold) are in reviews.pauses, reviews.returns, recommendations.corrections."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from core.accounts import Viewer
from core.dates import uk_date
from core.db import Store
from recommendations import corrections, plan
from reviews import pauses, returns
from reviews.records import Review
from ui.session import form, submit

Record = TypeVar("Record")


@contextmanager
def _correcting(
    title: str, label: str, records: Sequence[Record], describe: Callable[[Record], str], key: str
) -> Iterator[Record]:
    """An expander titled ``title`` whose select chooses the record to correct or delete."""
    with st.expander(title):
        yield st.selectbox(label, records, format_func=describe, key=key)


def _index_of(options: list[str], value: str) -> int | None:
    """Where a select starts: at ``value``, or at nothing when it is no longer an option."""
    return options.index(value) if value in options else None


def delete_form(key: str, button: str, delete: Callable[[str], None], success: str) -> None:
    """A form that deletes once a reason is given (kept in the audit log)."""
    with form(f"delete-{key}"):
        why = st.text_input("Why delete it? (kept in the audit log)", key=f"why-{key}")
        submit(button, lambda: delete(why), success)


def pause_corrections(store: Store, me: Viewer, reference: str, review: Review) -> None:
    changeable = [p for p in review.pauses if pauses.may_change(me, p.agreed_with_home_office)]
    if not changeable:
        return
    with _correcting(
        "Correct or delete a pause",
        "Pause",
        changeable,
        lambda p: f"{pauses.PAUSE_REASONS[p.reason]} from {uk_date(p.start)}",
        "correct-pause",
    ) as pause:
        with form(f"edit-pause-{pause.id}"):
            c1, c2, c3 = st.columns(3)
            reasons = list(pauses.PAUSE_REASONS)
            reason = c1.selectbox(
                "Reason", reasons, index=reasons.index(pause.reason), format_func=pauses.PAUSE_REASONS.get
            )
            start = c2.date_input("From", value=pause.start, format="DD/MM/YYYY")
            end = c3.date_input("To (empty while it lasts)", value=pause.end, format="DD/MM/YYYY")
            details = st.text_input("Details", value=pause.details)
            submit(
                "Save the pause",
                lambda: pauses.update_pause(
                    store, me, reference, pause_id=pause.id, reason=reason, start=start, end=end, details=details
                ),
                "Pause corrected; deadlines recalculated.",
            )
        delete_form(
            f"pause-{pause.id}",
            "Delete the pause",
            lambda why: pauses.delete_pause(store, me, reference, pause_id=pause.id, why=why),
            "Pause deleted; deadlines recalculated.",
        )


def return_corrections(store: Store, me: Viewer, reference: str, review: Review, agencies: list[str]) -> None:
    if not review.returns:
        return
    with _correcting(
        "Correct or delete an agency return",
        "Return",
        review.returns,
        lambda r: f"{r.kind} from {r.agency} (requested {uk_date(r.requested)})",
        "correct-return",
    ) as chosen:
        with form(f"edit-return-{chosen.id}"):
            c1, c2 = st.columns(2)
            agency = c1.selectbox("Agency", agencies, index=_index_of(agencies, chosen.agency))
            kind = c2.selectbox("Return", returns.RETURN_KINDS, index=returns.RETURN_KINDS.index(chosen.kind))
            c3, c4, c5 = st.columns(3)
            requested = c3.date_input("Requested on", value=chosen.requested, format="DD/MM/YYYY")
            due = c4.date_input("Due", value=chosen.due, format="DD/MM/YYYY")
            received = c5.date_input("Received (empty if not yet)", value=chosen.received, format="DD/MM/YYYY")
            submit(
                "Save the return",
                lambda: returns.update_return(
                    store,
                    me,
                    reference,
                    return_id=chosen.id,
                    agency=agency or "",
                    kind=kind,
                    requested=requested,
                    due=due,
                    received=received,
                ),
                "Return corrected.",
            )
        delete_form(
            f"return-{chosen.id}",
            "Delete the return",
            lambda why: returns.delete_return(store, me, reference, return_id=chosen.id, why=why),
            "Return deleted, with its chases.",
        )


def recommendation_corrections(store: Store, me: Viewer, recommendations: list[plan.Recommendation]) -> None:
    if not recommendations:
        return
    with _correcting(
        "Correct or delete a recommendation",
        "Recommendation",
        recommendations,
        lambda r: f"{r.number}. {r.text[:80]}",
        "correct-recommendation",
    ) as rec:
        with form(f"edit-recommendation-{rec.id}"):
            c1, c2 = st.columns([1, 3])
            number = c1.text_input("Number", value=rec.number)
            scope = c2.selectbox("Scope", plan.SCOPES, index=plan.SCOPES.index(rec.scope))
            text = st.text_area("Recommendation", value=rec.text)
            submit(
                "Save the recommendation",
                lambda: corrections.update_recommendation(store, me, rec.id, number=number, text=text, scope=scope),
                "Recommendation corrected.",
            )
        delete_form(
            f"recommendation-{rec.id}",
            f"Delete recommendation {rec.number} and its {len(rec.actions)} action(s)",
            lambda why: corrections.delete_recommendation(store, me, rec.id, why=why),
            "Recommendation deleted.",
        )


def action_corrections(store: Store, me: Viewer, action: plan.Action, agencies: list[str]) -> None:
    """The coordinator or the review's chair corrects what the action says, who owns it, when it is due."""
    if me.role not in ("coordinator", "chair"):
        return
    with st.expander("Correct or delete this action"):
        with form(f"edit-action-{action.id}"):
            description = st.text_input("What will be done", value=action.description)
            c1, c2 = st.columns(2)
            owner = c1.selectbox("Owner agency", agencies, index=_index_of(agencies, action.owner_agency))
            partners = c2.multiselect("Partner agencies", agencies, default=action.partner_agencies)
            c3, c4, c5 = st.columns(3)
            officer = c3.text_input("Lead officer", value=action.lead_officer)
            target = c4.date_input("Target date", value=action.target_date, format="DD/MM/YYYY")
            target_text = c5.text_input("Or a target in words", value=action.target_text)
            submit(
                "Save the action",
                lambda: corrections.correct_action(
                    store,
                    me,
                    action.id,
                    description=description,
                    owner_agency=owner or "",
                    partner_agencies=partners,
                    lead_officer=officer,
                    target_date=target,
                    target_text=target_text,
                ),
                "Action corrected.",
            )
        delete_form(
            f"action-{action.id}",
            "Delete the action and its progress notes",
            lambda why: corrections.delete_action(store, me, action.id, why=why),
            "Action deleted.",
        )


def progress_corrections(store: Store, me: Viewer, action: plan.Action) -> None:
    if not action.progress:
        return
    with _correcting(
        "Correct or delete a progress note",
        "Note",
        list(reversed(action.progress)),
        lambda p: f"{uk_date(p.noted_on)} · {p.author_name}: {p.note[:70]}",
        f"correct-progress-{action.id}",
    ) as entry:
        with form(f"edit-progress-{entry.id}"):
            note = st.text_area("What happened", value=entry.note)
            evidence = st.text_area("Evidence", value=entry.evidence)
            submit(
                "Save the note",
                lambda: corrections.correct_progress(store, me, entry.id, note=note, evidence=evidence),
                "Note corrected.",
            )
        delete_form(
            f"progress-{entry.id}",
            "Delete the note",
            lambda why: corrections.delete_progress(store, me, entry.id, why=why),
            "Note deleted.",
        )
