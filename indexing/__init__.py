"""Lessons-learned library: text extraction, chunking, whoosh and embedding indexes, hybrid search."""
