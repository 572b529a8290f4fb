"""Launches from an emulated Moodle and Canvas: what passes, and each refusal with its page, its
log line, and no session (the launch handler never runs, no session cookie is set)."""

from __future__ import annotations

import logging
import secrets
import time

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from layerwise.lti.messages import REFETCH_COOLDOWN

from .flow import full_launch, launch, login
from .platform import Platform
from .toolapp import Tool

Log = pytest.LogCaptureFixture


@pytest.fixture
def client() -> httpx.Client:
    with httpx.Client(timeout=10) as c:
        yield c


def assert_refused(response: httpx.Response, tool: Tool, caplog: Log, name: str,
                   status: int = 401) -> None:
    assert response.status_code == status, response.text
    assert "Acesso recusado / Access refused" in response.text
    assert f"<small>{name}</small>" in response.text
    assert "tool_session" not in response.headers.get("set-cookie", "")
    assert tool.launches == []
    assert any(f"lti refused: {name}" in rec.getMessage() for rec in caplog.records), caplog.text


def test_launch_signs_in_learner_and_instructor(client: httpx.Client, tool: Tool, lms: Platform) -> None:
    response = full_launch(client, tool, lms, user="s1", role="Learner")
    assert response.status_code == 303 and response.headers["location"] == "/home"
    assert "tool_session" in response.headers["set-cookie"]
    assert client.get(tool.url + "/home").text.count("estudante / student") == 1
    with httpx.Client(timeout=10) as other:
        assert full_launch(other, tool, lms, user="t1", role="TeachingAssistant").status_code == 303
    first, second = tool.launches
    assert (first.subject, first.role, first.context_id) == ("s1", "student", "c1")
    assert second.role == "instructor"
    assert first.line_item_id is not None and first.issuer == lms.issuer


def test_state_cookie_is_consumed(client: httpx.Client, tool: Tool, lms: Platform) -> None:
    params = login(client, tool, lms)
    _, fields = lms.authenticate(params)
    response = launch(client, tool, fields)
    assert response.status_code == 303
    assert f"lti1p3_state_{params['state']}" not in client.cookies


def _token_for(lms: Platform, params: dict[str, str], **changes: object) -> str:
    claims = lms.claims(user="s1", role="Learner", course="c1", nonce=params["nonce"])
    claims.update(changes)
    return lms.sign(claims)


def test_bad_signature(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = lms.claims(user="s1", role="Learner", course="c1", nonce=params["nonce"])
    token = lms.sign(claims, key=forger)  # the platform's kid, another key
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "BadSignature")


def test_unknown_kid_refetches_once(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    with httpx.Client(timeout=10) as first:  # the tool has the platform's key set cached
        assert full_launch(first, tool, lms).status_code == 303
    tool.launches.clear()
    time.sleep(REFETCH_COOLDOWN + 0.1)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    before = lms.jwks_fetches
    for _ in range(2):
        params = login(client, tool, lms)
        claims = lms.claims(user="s1", role="Learner", course="c1", nonce=params["nonce"])
        token = lms.sign(claims, key=forger, kid="not-published")
        assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                       "UnknownKey")
    assert lms.jwks_fetches == before + 1  # one refetch; the second unknown kid is within the cooldown


def test_rotated_platform_key_is_fetched(client: httpx.Client, tool: Tool, lms: Platform) -> None:
    assert full_launch(client, tool, lms).status_code == 303
    fetched = lms.jwks_fetches
    time.sleep(REFETCH_COOLDOWN + 0.1)  # the tool refetches at most once per cooldown
    lms.rotate_keys()
    with httpx.Client(timeout=10) as other:
        assert full_launch(other, tool, lms, user="s2").status_code == 303
    assert lms.jwks_fetches == fetched + 1
    with httpx.Client(timeout=10) as third:  # the new key is now cached
        assert full_launch(third, tool, lms, user="s3").status_code == 303
    assert lms.jwks_fetches == fetched + 1


def test_expired_token(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    claims = lms.claims(user="s1", role="Learner", course="c1", nonce=params["nonce"],
                        now=time.time() - 3600)
    token = lms.sign(claims)
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "Expired")


def test_wrong_audience(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    token = _token_for(lms, params, aud="another-tool", azp="another-tool")
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "WrongAudience")


def test_several_audiences_need_azp(client: httpx.Client, tool: Tool, lms: Platform,
                                    caplog: Log) -> None:
    params = login(client, tool, lms)
    assert lms.tool is not None
    token = _token_for(lms, params, aud=[lms.tool.client_id, "another-tool"], azp="another-tool")
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "WrongAudience")


def test_replayed_nonce(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    _, fields = lms.authenticate(params)
    assert launch(client, tool, fields).status_code == 303
    tool.launches.clear()
    cookie = f"lti1p3_state_{params['state']}"
    with httpx.Client(timeout=10, cookies={cookie: params["state"]}) as attacker:
        assert_refused(launch(attacker, tool, fields), tool, caplog, "ReplayedNonce")


def test_missing_state_cookie(tool: Tool, lms: Platform, caplog: Log) -> None:
    with httpx.Client(timeout=10) as browser:
        params = login(browser, tool, lms)
    _, fields = lms.authenticate(params)
    with httpx.Client(timeout=10) as elsewhere:  # the id_token reaches a browser without the cookie
        assert_refused(launch(elsewhere, tool, fields), tool, caplog, "BadState")


def test_forged_state(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    forged = secrets.token_urlsafe(24)
    token = _token_for(lms, params)
    with httpx.Client(timeout=10, cookies={f"lti1p3_state_{forged}": forged}) as attacker:
        assert_refused(launch(attacker, tool, {"id_token": token, "state": forged}), tool, caplog, "BadState")


def test_unknown_deployment(client: httpx.Client, tool: Tool, lms: Platform,
                            caplog: Log) -> None:
    params = login(client, tool, lms)
    token = _token_for(lms, params, **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "999"})
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "UnknownDeployment")


def test_wrong_version(client: httpx.Client, tool: Tool, lms: Platform, caplog: Log) -> None:
    params = login(client, tool, lms)
    token = _token_for(lms, params, **{"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"})
    assert_refused(launch(client, tool, {"id_token": token, "state": params["state"]}), tool, caplog,
                   "BadMessage", status=400)


def test_learner_on_instructor_pages(client: httpx.Client, tool: Tool, lms: Platform,
                                     caplog: Log) -> None:
    assert full_launch(client, tool, lms, user="s1", role="Learner", course="c1").status_code == 303
    assert client.get(tool.url + "/course/c1/student").status_code == 200
    page = client.get(tool.url + "/course/c1/instructor")
    assert page.status_code == 403 and "docentes e monitores" in page.text and "instructors" in page.text
    assert any("lti refused: NotInstructor" in rec.getMessage() for rec in caplog.records)
    tool.launches.clear()
    with httpx.Client(timeout=10) as other:  # nor may a learner deep-link
        params = login(other, tool, lms, user="s2", role="Learner", message="LtiDeepLinkingRequest")
        _, fields = lms.authenticate(params)
        assert_refused(launch(other, tool, fields), tool, caplog, "NotInstructor", status=403)


def test_student_of_one_course_on_another(client: httpx.Client, tool: Tool, lms: Platform,
                                          caplog: Log) -> None:
    assert full_launch(client, tool, lms, user="s1", role="Learner", course="c1").status_code == 303
    page = client.get(tool.url + "/course/c2/student")
    assert page.status_code == 403 and "não está inscrito" in page.text and "not enrolled" in page.text
    assert any("lti refused: OtherCourse" in rec.getMessage() for rec in caplog.records)


def test_unregistered_platform_login(client: httpx.Client, tool: Tool, lms: Platform,
                                     caplog: Log) -> None:
    form = lms.login_form(user="s1", role="Learner", course="c1") | {"iss": "https://evil.example"}
    response = client.post(tool.url + "/lti/login", data=form)
    assert_refused(response, tool, caplog, "UnknownPlatform")
    assert not any(name.startswith("lti1p3_state_") for name in client.cookies)


@pytest.fixture(autouse=True)
def _log_level(caplog: Log) -> None:
    caplog.set_level(logging.INFO, logger="layerwise.lti")
