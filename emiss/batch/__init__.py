"""Many scenarios at once: records read from NDJSON, CSV, Parquet or DataFrames, estimated as arrays, written per record."""
