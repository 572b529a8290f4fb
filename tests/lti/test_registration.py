"""Dynamic registration against an emulated Moodle: the tool registers itself from the LMS's
"Register" window, then a launch from that LMS signs the student in; without the admin's key, or
with a configuration that lacks endpoints, nothing is registered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from layerwise.lti.models import Platform as Registration
from sqlalchemy import select

from .flow import full_launch
from .platform import Platform
from .toolapp import Tool


@pytest.fixture
def bare_tool(tmp_path: Path) -> Iterator[Tool]:
    made = Tool(tmp_path / "tool.db").start()
    yield made
    made.stop()


def registrations(tool: Tool) -> list[tuple[str, str, list[str]]]:
    with tool.sessions() as session:
        return [(p.issuer, p.client_id, [d.deployment_id for d in p.deployments])
                for p in session.scalars(select(Registration))]


@pytest.mark.parametrize("lms_served", ["moodle"], indirect=True)
def test_dynamic_registration_then_launch(bare_tool: Tool, lms: Platform) -> None:
    token = lms.registration_token()
    query = urlencode({"openid_configuration": lms.openid_configuration_url(), "registration_token": token,
                       "key": "admin-key"})
    page = httpx.get(f"{bare_tool.url}/lti/register?{query}", timeout=10)
    assert page.status_code == 200 and "Ferramenta registrada / Tool registered" in page.text
    assert lms.tool is not None and lms.tool.login_url == bare_tool.url + "/lti/login"
    assert registrations(bare_tool) == [(lms.issuer, lms.tool.client_id, ["7"])]
    again = httpx.get(f"{bare_tool.url}/lti/register?{query}", timeout=10)  # the token is single-use
    assert again.status_code == 400 and "token_already_used" not in again.text  # no LMS detail shown
    with httpx.Client(timeout=10) as browser:
        assert full_launch(browser, bare_tool, lms, user="s1").status_code == 303
    assert bare_tool.launches[0].deployment_id == "7"


@pytest.mark.parametrize("lms_served", ["moodle"], indirect=True)
def test_dynamic_registration_refusals(bare_tool: Tool, lms: Platform) -> None:
    query = {"openid_configuration": lms.openid_configuration_url(),
             "registration_token": lms.registration_token()}
    no_key = httpx.get(f"{bare_tool.url}/lti/register?{urlencode(query)}", timeout=10)
    assert no_key.status_code == 403 and "chave" in no_key.text and "key" in no_key.text
    elsewhere = query | {"openid_configuration": lms.url + "/nothing-here", "key": "admin-key"}
    wrong = httpx.get(f"{bare_tool.url}/lti/register?{urlencode(elsewhere)}", timeout=10)
    assert wrong.status_code == 400 and "BadRequest" in wrong.text
    assert registrations(bare_tool) == [] and lms.tool is None
