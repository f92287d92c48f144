"""Reports: the output catalogue, documents (dicts, rows, views), and their encodings (tables, charts)."""
