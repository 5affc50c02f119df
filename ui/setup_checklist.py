"""The coordinator's set-up checklist on the dashboard, until every step is done."""

from __future__ import annotations

import streamlit as st

from core.accounts import Viewer
from core.db import Store
from core.setup_steps import setup_steps

# where each step is done: (page, link text)
WHERE = {
    "settings": ("pages/administration.py", "Administration: Workspace"),
    "agencies": ("pages/administration.py", "Administration: Agencies"),
    "register": ("pages/import_register.py", "Import the register"),
    "plans": ("pages/import_plan.py", "Import an action plan"),
    "library": ("pages/library.py", "Library documents"),
    "backup": ("pages/administration.py", "Administration: Backup"),
}


def setup_checklist(store: Store, me: Viewer) -> None:
    if not me.is_coordinator:
        return
    steps = setup_steps(store, me)
    done = sum(step.done for step in steps)
    if done == len(steps):
        return
    with st.container(border=True, key="setup-checklist"):
        st.markdown(f"**Setting up this workspace** · {done} of {len(steps)} steps done")
        for step in steps:
            text, where = st.columns([3, 2], vertical_alignment="center")
            if step.done:
                text.markdown(f":material/check_box: {step.label} :gray[({step.detail})]")
            else:
                text.markdown(f":material/check_box_outline_blank: **{step.label}**")
                page, label = WHERE[step.key]
                where.page_link(page, label=label, icon=":material/arrow_forward:")
