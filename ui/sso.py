"""Signing in with the council's account (OpenID Connect through Streamlit's ``st.login``, configured in
``.streamlit/secrets.toml``), beside local accounts."""

from __future__ import annotations

import streamlit as st

from core import sso
from core.accounts import ROLES, Viewer
from core.db import Store
from core.errors import AuthenticationFailed
from ui.session import start_session, submit


def configured() -> bool:
    """Whether the workspace's secrets name an identity provider ([auth] in secrets.toml)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def signed_in_by_provider() -> bool:
    return configured() and bool(st.user.is_logged_in)


def sign_out_of_provider() -> None:
    """End the provider's sign-in in this browser, and this run with it: nothing after it may act on an
    identity ``st.logout`` has just emptied."""
    st.logout()
    st.stop()


def sign_in_with_provider(store: Store) -> Viewer | None:
    """The account of the person the provider signed in (the session starts), or None: no role yet.
    A sign-in that names no one is refused in words, and the provider's sign-in ended."""
    mapping = st.secrets.get("dhr_sso", {})
    claim = mapping.get("role_claim", "roles")
    claimed = st.user.get(claim) or ()
    try:
        person = sso.resolve(
            store,
            issuer=str(st.user.get("iss") or ""),
            subject=str(st.user.get("sub") or ""),
            email=str(st.user.get("email") or ""),
            name=str(st.user.get("name") or ""),
            claimed_roles=tuple(claimed if isinstance(claimed, list) else [claimed]),
            role_map=dict(mapping.get("role_map", {})),
        )
    except AuthenticationFailed as refused:
        st.error(str(refused), icon=":material/block:")
        if st.button("Sign out", icon=":material/logout:"):
            sign_out_of_provider()
        st.stop()
    if person is not None:
        start_session(person)
    return person


def waiting_page() -> None:
    """Shown to someone the provider signed in whom this workspace has given no role."""
    st.title("DHR Learning Repository")
    st.warning(
        f"Your council account ({st.user.get('email') or st.user.get('name')}) signed you in, but this workspace "
        "has not given you a role yet. The coordinator sees your request under Administration → Accounts; "
        "once they give you a role, sign in again.",
        icon=":material/hourglass_top:",
    )
    if st.button("Sign out", icon=":material/logout:"):
        sign_out_of_provider()


def provider_button() -> None:
    """On the sign-in page, when a provider is configured."""
    if configured():
        st.button("Sign in with your council account", icon=":material/badge:", on_click=st.login, type="primary")
        st.caption("Or, with a local account:")


def waiting_requests(store: Store, me: Viewer, agencies: list[str]) -> None:
    """On Administration → Accounts: who the provider signed in without a role, and giving them one."""
    waiting = sso.requests(store, me)
    if not waiting:
        return
    st.markdown(f"**{len(waiting)} person(s) signed in with their council account and are waiting for a role**")
    by_key = {w["identity"]: w for w in waiting}
    with st.form("grant_sso"):
        c1, c2, c3 = st.columns(3)
        who = c1.selectbox(
            "Person",
            list(by_key),
            format_func=lambda k: f"{by_key[k]['name']} ({by_key[k]['email']}), {by_key[k]['attempts']} attempt(s)",
            index=None,
        )
        role = c2.selectbox("Role", list(ROLES), format_func=ROLES.get, index=None)
        agency = c3.selectbox("Agency (agency leads)", agencies, index=None)
        submit(
            "Give access",
            lambda: sso.grant(store, me, identity_key=who or "", role=role or "", agency=agency),
            "Access given: they can sign in with their council account.",
        )
