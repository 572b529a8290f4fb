"""Grades out to the LMS: `export` writes gradebook import files, `canvas` and `moodle` send
grades through the LMS's API (with `upload`, `ledger` and `retry`), driven by `cli`;
`gradescope_run` is the Gradescope autograder's entry point. Reading LMS downloads is
`layerwise.intake`'s job."""
