"""Users, courses and memberships as an LMS launch (LTI 1.3) or a roster creates them: found by
their LMS identity, created when new, updated when the LMS says something new."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from layerwise.serve.models import Course, Membership, Role, User


def upsert_lti_user(session: Session, issuer: str, subject: str, name: str,
                    email: str | None) -> User:
    """The user the platform `issuer` knows as `subject` (created or updated; a user made from
    a roster with the same email is taken over, not duplicated)."""
    user = session.scalars(select(User).where(User.lti_issuer == issuer,
                                              User.lti_subject == subject)).first()
    if user is None and email:
        user = session.scalars(select(User).where(User.email == email,
                                                  User.lti_issuer.is_(None))).first()
    if user is None:
        user = User(name=name or subject, email=email or None)
        session.add(user)
    user.lti_issuer, user.lti_subject = issuer, subject
    if name:
        user.name = name
    if email and user.email != email and not session.scalars(
            select(User.id).where(User.email == email)).first():
        user.email = email
    session.flush()
    return user


def upsert_lti_course(session: Session, issuer: str, deployment_id: str, context_id: str,
                      title: str) -> Course:
    """The course of an LMS context (created or retitled)."""
    course = session.scalars(select(Course).where(
        Course.lti_issuer == issuer, Course.lti_deployment_id == deployment_id,
        Course.lti_context_id == context_id)).first()
    if course is None:
        course = Course(title=title or context_id, lti_issuer=issuer,
                        lti_deployment_id=deployment_id, lti_context_id=context_id)
        session.add(course)
    elif title:
        course.title = title
    session.flush()
    return course


def enrol(session: Session, user: User, course: Course, role: Role | str) -> Membership:
    """`user`'s membership of `course` with `role` (the role is updated when it changed)."""
    role = Role(role)
    membership = session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.course_id == course.id)).first()
    if membership is None:
        membership = Membership(user_id=user.id, course_id=course.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def role_in(session: Session, user: User, course_id: int) -> Role | None:
    """`user`'s role in the course (None when not a member; admins are instructors)."""
    role = session.scalars(select(Membership.role).where(
        Membership.user_id == user.id, Membership.course_id == course_id)).first()
    if role is None:
        return Role.instructor if user.is_admin else None
    return Role(role)
