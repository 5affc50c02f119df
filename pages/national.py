"""National recommendations: every recommendation addressed to a national body, by body and lesson, with how
many reviews made it and since when, as the signed-in person may read them, to download and send on."""

import streamlit as st

from core import workspace
from exports.national import national_recommendations_docx
from recommendations import national, recurring
from ui.reading import national_recommendations_downloads
from ui.session import get_library, get_store, viewer

store, me, library = get_store(), viewer(), get_library()
st.title("National recommendations")
st.caption(
    "Recommendations addressed to a government department or national body (Home Office, DHSC, NHS England, MoJ, "
    "DfE, DWP, ...), read from the reports in the library and the plans, grouped by body and by lesson. Each count "
    "says whether it counts this partnership's reviews or reports from other partnerships and national bodies."
)
bodies = national.national_recommendations(store, me, library.embedder)
national_recommendations_downloads(
    bodies,
    national.as_csv(bodies),
    national_recommendations_docx(bodies, branding=workspace.load(store.read())),
    me,
    recurring.reports_not_public(store, me),
)
