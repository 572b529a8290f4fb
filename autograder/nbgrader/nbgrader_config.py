"""nbgrader course of the layerwise assignment (written by `layerwise build`).

One nbgrader assignment per edition of each notebook: <name> (Portuguese) and <name>_en (English),
same code and checks. Run nbgrader from this folder, with the venv's bin first on PATH, e.g.
    nbgrader generate_assignment <name> --force
    nbgrader generate_assignment <name>_en --force
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets

HERE = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "layerwise"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.ClearSolutions.code_stub = {
    "python": "# SEU CÓDIGO AQUI / YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "_Escreva sua resposta aqui. / Write your answer here._"
c.Execute.timeout = 300
# Feedback shows each graded cell's output (the score, and why cases failed) but not its hidden
# code, which holds the hidden cases.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
