"""Repositories hold all SQL (DESIGN.md convention 1)."""
