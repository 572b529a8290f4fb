"""Driving a launch by hand (no browser): login initiation, the LMS's answer, the launch post."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import httpx

from .platform import Platform
from .toolapp import Tool


def login(client: httpx.Client, tool: Tool, lms: Platform, *, user: str = "s1", role: str = "Learner",
          course: str = "c1", message: str = "LtiResourceLinkRequest") -> dict[str, str]:
    """Posts the LMS's login initiation to the tool; returns the authentication request's parameters
    (the client now holds the tool's state cookie)."""
    form = lms.login_form(user=user, role=role, course=course, message=message)
    response = client.post(tool.url + "/lti/login", data=form)
    assert response.status_code == 200, response.text
    found = re.search(r'data-auth="([^"]+)"', response.text)
    assert found, response.text
    auth = html.unescape(found.group(1))
    assert auth.startswith(lms.auth_url)
    return dict(parse_qsl(urlsplit(auth).query))


def launch(client: httpx.Client, tool: Tool, fields: dict[str, str]) -> httpx.Response:
    """Posts the id_token and state to the tool's launch URL, as the LMS's auto-submitted form does."""
    return client.post(tool.url + "/lti/launch", data=fields)


def full_launch(client: httpx.Client, tool: Tool, lms: Platform, **who: str) -> httpx.Response:
    params = login(client, tool, lms, **who)
    action, fields = lms.authenticate(params)
    assert action == tool.url + "/lti/launch"
    return launch(client, tool, fields)
