"""LMS in and out: recognizing Canvas, Moodle and Gradescope downloads; grades back to them.

In: `identify` (called by `layerwise.intake.collect`). Out: `export` writes gradebook import
files, `canvas` and `moodle` send grades through the LMS's API, both driven by `cli`.
"""

from __future__ import annotations

from layerwise.lms.downloads import identify

__all__ = ["identify"]
