"""Importers: read outside data sets into the model. Parsing is pure; loading is one transaction."""
