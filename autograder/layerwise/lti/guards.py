"""Page guards for a signed-in LTI user: instructors' pages and a course's pages."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response

from . import pages
from .messages import Role
from .refusals import LaunchRefused, NotInstructor, OtherCourse

log = logging.getLogger("layerwise.lti")


def check_access(*, role: Role, course: str, wanted_course: str, instructor_page: bool) -> None:
    """Refuse a student on an instructor page, and anyone on another course's pages."""
    if course != wanted_course:
        raise OtherCourse(f"enrolled in {course!r}, asked for {wanted_course!r}")
    if instructor_page and role != "instructor":
        raise NotInstructor(f"{role} on an instructor page of {course!r}")


def install_refusal_pages(app: FastAPI, asset: str = "/lti/lti.js") -> None:
    """Answer any `LaunchRefused` raised by a page with its bilingual page and a log line."""

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LaunchRefused)
        log.warning(exc.log_line)
        return pages.refused(exc, asset)

    app.add_exception_handler(LaunchRefused, handler)
