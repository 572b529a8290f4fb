"""What other parts of the service do when a submission is graded (LTI's grade passback puts its
outbox row here). Called inside the transaction that stores the grade: a row added here is
committed with it, or not at all."""

from __future__ import annotations

from sqlalchemy.orm import Session

from layerwise.serve import lti_glue
from layerwise.serve.models import Submission


def on_graded(session: Session, submission: Submission) -> None:
    """The LTI 1.3 tool's outbox row: the student's counted score, for the LMS gradebook."""
    lti_glue.queue_score(session, submission)
