"""`layerwise serve`: students submit notebooks and read the kit's feedback in seconds, graded by
the same engine and sandbox as `layerwise grade` (grade/run.py), from a durable job table."""
