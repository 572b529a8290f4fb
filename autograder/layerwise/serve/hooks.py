"""What other parts of the service do when a submission is graded (LTI's grade passback puts its
outbox row here). Called inside the transaction that stores the grade: a row added here is
committed with it, or not at all."""

from __future__ import annotations

from sqlalchemy.orm import Session

from layerwise.serve.models import Submission


def on_graded(session: Session, submission: Submission) -> None:
    """Nothing yet: the LTI 1.3 tool adds its outbox row here."""
    return None
