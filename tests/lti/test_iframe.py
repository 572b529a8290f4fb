"""A launch embedded in the LMS page: with third-party cookies allowed it completes inside the
iframe; in a Chromium that blocks them, the tool cannot bind its login state there, says so in
both languages, and the launch completes in the new window it offers. The tool is served over
HTTPS on another site (`localhost` against the LMS's `127.0.0.1`), as in production, so its
cookies are `SameSite=None; Secure`."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from playwright.sync_api import sync_playwright

from .platform import Platform
from .test_browser import ARGS, CHROMIUM
from .toolapp import Tool


def self_signed(folder: Path) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                                       serialization.NoEncryption()))
    return str(folder / "cert.pem"), str(folder / "key.pem")


@pytest.fixture
def https_tool(tmp_path: Path, lms: Platform) -> Iterator[Tool]:
    made = Tool(tmp_path / "tool.db", host="localhost", ssl=self_signed(tmp_path))
    made.register(lms)
    made.start()
    yield made
    made.stop()


def chromium_profile(folder: Path, *, block_third_party: bool) -> str:
    """A profile whose preferences block (or allow) third-party cookies, as a user sets them."""
    (folder / "Default").mkdir(parents=True)
    (folder / "Default" / "Preferences").write_text(json.dumps(
        {"profile": {"block_third_party_cookies": block_third_party,
                     "cookie_controls_mode": 1 if block_third_party else 0}}))
    return str(folder)


@pytest.mark.parametrize("lms_served", ["moodle"], indirect=True)
@pytest.mark.parametrize("blocked", [False, True], ids=["cookies-allowed", "cookies-blocked"])
def test_embedded_launch(blocked: bool, tmp_path: Path, https_tool: Tool, lms: Platform) -> None:
    with sync_playwright() as play:
        context = play.chromium.launch_persistent_context(
            chromium_profile(tmp_path / "profile", block_third_party=blocked), executable_path=CHROMIUM,
            headless=True, ignore_https_errors=True, args=[*ARGS, "--ignore-certificate-errors"])
        try:
            page = context.new_page()
            page.goto(f"{lms.url}/course?user=s5&role=Learner&course=c1")
            frame = page.frame_locator("#tool")
            if not blocked:
                frame.locator("#role").wait_for(timeout=15000)
                assert frame.locator("#role").inner_text() == "estudante / student"
                assert [launch.subject for launch in https_tool.launches] == ["s5"]
                return
            frame.locator("#lti-blocked").wait_for(state="visible", timeout=15000)
            text = frame.locator("#lti-blocked").inner_text()
            assert "cookies de terceiros" in text and "third-party cookies" in text
            assert https_tool.launches == []
            with context.expect_page() as opened:
                frame.locator("#lti-blocked a").click()
            window = opened.value
            window.wait_for_url(https_tool.url + "/home", timeout=15000)
            assert window.text_content("#role") == "estudante / student"
            assert [launch.subject for launch in https_tool.launches] == ["s5"]
        finally:
            context.close()
