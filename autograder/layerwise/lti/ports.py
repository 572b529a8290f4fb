"""What the LTI package needs from the service, as callbacks: the service implements them
(with its `identity.upsert_lti_user`, `upsert_lti_course`, `enrol`) and passes them to
`routes.lti_router`; this package never imports the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fastapi import Request, Response
from sqlalchemy.orm import Session

from .messages import LaunchMessage


class LaunchHandler(Protocol):
    """Called once per valid resource-link launch, inside the launch's transaction: map the
    launch to the service's user, course, enrolment and assignment, start the service's own
    session, and return the page to send (usually a redirect). Never called for a refusal."""

    def __call__(self, session: Session, launch: LaunchMessage, request: Request) -> Response: ...


@dataclass(frozen=True)
class DeepLinkChoice:
    """An assignment an instructor may place in the LMS: it becomes a link with a grade column."""

    resource_id: str
    label: str
    score_maximum: float


class DeepLinkCatalog(Protocol):
    """The assignments offered to an instructor deep-linking from a course."""

    def __call__(self, session: Session, launch: LaunchMessage) -> list[DeepLinkChoice]: ...
