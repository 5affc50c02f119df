"""Streamlit helpers shared by the pages: the workspace resource, the signed-in viewer, formatting."""
