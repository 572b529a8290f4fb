"""What a run writes: per student grading.json, results.json (Gradescope) and feedback.html;
per run grades.csv, run.json and the summary table."""
