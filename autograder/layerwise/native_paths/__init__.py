"""Bridges from `layerwise grade` to the graders that run inside the student's kernel (nbgrader)."""
