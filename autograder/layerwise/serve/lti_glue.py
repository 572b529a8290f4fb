"""The LTI 1.3 tool plugged into the service: a launch signs the LMS user into the service and
lands them on their pages, deep linking offers the course's assignments, a graded submission
queues its counted score for the LMS gradebook, and a sender thread posts the queue (framing
by the LMS: `lti_frames`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise import registry
from layerwise.lti import outbox
from layerwise.lti.messages import LaunchMessage
from layerwise.lti.models import LineItem, Platform
from layerwise.lti.ports import DeepLinkChoice
from layerwise.lti.routes import lti_router
from layerwise.serve import admin, auth, identity, policy
from layerwise.serve.lti_frames import EMBED_COOKIE, FrameOrigins
from layerwise.serve.models import Course, CourseAssignment, Role, Submission, User

log = logging.getLogger("layerwise.serve.lti")
CUSTOM = "layerwise_assignment"
"""The custom parameter a deep link leaves on its resource link: `ca-<id>` (a course's
assignment) or a registered assignment's name (given in the course at its first launch)."""
TA = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"


def base_url(app: FastAPI) -> str:
    """The service's public address (`--base-url`, else http://host:port)."""
    settings = app.state.settings
    return str(settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def _course(session: Session, launch: LaunchMessage) -> Course:
    return identity.upsert_lti_course(session, launch.issuer, launch.deployment_id,
                                      launch.context_id, launch.context_title)


def _member(session: Session, launch: LaunchMessage, course: Course) -> tuple[User, Role]:
    user = identity.upsert_lti_user(session, launch.issuer, launch.subject, launch.name,
                                    launch.email or None)
    role = Role.student
    if launch.role == "instructor":
        role = Role.ta if TA in launch.roles and not any(
            r.endswith("#Instructor") for r in launch.roles) else Role.instructor
    identity.enrol(session, user, course, role)
    return user, role


def bound_assignment(session: Session, course: Course, launch: LaunchMessage
                     ) -> CourseAssignment | None:
    """The course-assignment of the launch's resource link: bound before, or named by the link's
    custom parameter (then bound now: a registered assignment is given in the course)."""
    link = launch.resource_link_id
    if not link:
        return None
    ca = session.scalars(select(CourseAssignment).where(
        CourseAssignment.course_id == course.id, CourseAssignment.resource_link_id == link)).first()
    if ca is not None:
        return ca
    wanted = str(launch.custom.get(CUSTOM) or "")
    if wanted.startswith("ca-") and wanted[3:].isdigit():
        ca = session.get(CourseAssignment, int(wanted[3:]))
        if ca is None or ca.course_id != course.id:
            return None
    elif wanted in registry.registered():
        ca = session.scalars(select(CourseAssignment).where(
            CourseAssignment.course_id == course.id, CourseAssignment.assignment == wanted,
            CourseAssignment.resource_link_id.is_(None))).first()
        if ca is None:
            ca = admin.add_assignment(session, course.id, wanted)
    else:
        return None
    ca.resource_link_id = link  # a second link to the same assignment takes the grades over
    session.flush()
    log.info("lti link bound", extra={"link": link, "course_assignment": ca.id})
    return ca


def on_launch(session: Session, launch: LaunchMessage, request: Request) -> Response:
    """Sign the LMS user in (user, course, membership upserted) and send them to their page."""
    course = _course(session, launch)
    user, role = _member(session, launch, course)
    ca = bound_assignment(session, course, launch)
    if role == Role.student:
        target = f"/assignment/{ca.id}" if ca is not None else "/"
    else:
        target = f"/assignment/{ca.id}/class" if ca is not None else f"/course/{course.id}"
    app = request.app
    secure = base_url(app).startswith("https://") or app.state.settings.secure_cookies
    response = RedirectResponse(target, status_code=303)
    # Inside an LMS iframe only a SameSite=None cookie travels; browsers take it only Secure.
    same_site: Literal["none", "lax"] = "none" if secure else "lax"
    response.set_cookie(auth.COOKIE, auth.session_cookie(app.state.secret, user),
                        max_age=int(app.state.settings.session_hours * 3600), httponly=True,
                        samesite=same_site, secure=secure, path="/")
    response.set_cookie(EMBED_COOKIE, "1", httponly=True, samesite=same_site, secure=secure, path="/")
    return response


def catalog(session: Session, launch: LaunchMessage) -> list[DeepLinkChoice]:
    """What an instructor may place in the LMS: the course's assignments, then the registered
    ones the course does not give yet (given at the link's first launch)."""
    course = _course(session, launch)
    _member(session, launch, course)
    given = session.scalars(select(CourseAssignment).where(CourseAssignment.course_id == course.id)
                            .order_by(CourseAssignment.id)).all()
    choices = [DeepLinkChoice(f"ca-{ca.id}", ca.title, registry.get(ca.assignment).max_total)
               for ca in given]
    names = {ca.assignment for ca in given}
    for name in sorted(set(registry.registered()) - names):
        assignment = registry.get(name)
        choices.append(DeepLinkChoice(name, assignment.title.pt, assignment.max_total))
    return choices


def line_item_of(session: Session, ca: CourseAssignment) -> LineItem | None:
    """The LMS gradebook column bound to the course-assignment's resource link, if any."""
    course = ca.course
    if not ca.resource_link_id or course.lti_issuer is None:
        return None
    return session.scalars(select(LineItem).join(Platform).where(
        Platform.issuer == course.lti_issuer, LineItem.deployment_id == course.lti_deployment_id,
        LineItem.context_id == course.lti_context_id, LineItem.resource_link_id == ca.resource_link_id,
        LineItem.lineitem_url.is_not(None)).order_by(LineItem.id.desc())).first()


def queue_score(session: Session, submission: Submission) -> None:
    """In the grade's transaction: the student's counted score (last or best, after the late
    penalty) into the LTI outbox, when the assignment came from a link with a gradebook column.
    The score goes with the assignment's maximum; the LMS scales it to its column's."""
    ca = session.get_one(CourseAssignment, submission.course_assignment_id)
    user = session.get_one(User, submission.user_id)
    if user.lti_subject is None or user.lti_issuer != ca.course.lti_issuer:
        return
    item = line_item_of(session, ca)
    if item is None:
        return
    subs = session.scalars(select(Submission).where(
        Submission.course_assignment_id == ca.id, Submission.user_id == user.id)).all()
    counted = policy.counted(ca, subs)
    if counted is None or counted.total is None or not counted.max_total:
        return
    outbox.enqueue_score(session, line_item_id=item.id, user_sub=user.lti_subject,
                         score_given=counted.total, score_maximum=counted.max_total,
                         graded_at=counted.graded_at or submission.graded_at or submission.created)


class Sender:
    """`outbox.sender_loop` in a daemon thread, started and stopped with the app. An LMS that
    is down only delays its scores (the loop retries with back-off and never raises)."""

    def __init__(self, factory: Callable[[], Session], interval: float = 1.0) -> None:
        self.stop_event = threading.Event()
        self.http = httpx.Client(timeout=10)
        self.thread = threading.Thread(target=outbox.sender_loop, name="lti-sender", daemon=True,
                                       args=(factory, self.http, self.stop_event),
                                       kwargs={"interval": interval})

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=15)
        self.http.close()


def mount(app: FastAPI, factory: Callable[[], Session], secret: str) -> None:
    """Add the LTI router at /lti (once: the lifespan may run again in tests)."""
    if getattr(app.state, "lti_mounted", False):
        return
    settings = app.state.settings
    app.include_router(lti_router(
        session_factory=factory, base_url=base_url(app) + "/lti", on_launch=on_launch,
        catalog=catalog, secret=secret,
        registration_key=settings.lti_registration_key or None), prefix="/lti")
    app.state.frame_origins = FrameOrigins(factory, settings.frame_ancestors)
    app.state.lti_mounted = True
