"""Recommendations and their actions across every review: progress, evidence, RAG and board figures."""
