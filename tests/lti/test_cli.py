"""`layerwise lti …` on a fresh SQLite database: presets, listing, key rotation, the URLs to paste."""

from __future__ import annotations

from pathlib import Path

from layerwise.lti.cli import lti_app
from layerwise.lti.models import ToolKey
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner


def test_register_list_rotate_and_urls(tmp_path: Path) -> None:
    run = CliRunner()
    data = ["--data", str(tmp_path)]
    out = run.invoke(lti_app, ["register", "--preset", "moodle", "--lms-url", "https://moodle.example.edu",
                               "--client-id", "abc", "--deployment", "3", *data])
    assert out.exit_code == 0, out.output
    out = run.invoke(lti_app, ["register", "--preset", "canvas", "--client-id", "1000000000042",
                               "--deployment", "7:x", "--deployment", "8:y", *data])
    assert out.exit_code == 0, out.output
    listed = run.invoke(lti_app, ["platforms", *data]).output.splitlines()
    assert listed[0].split("\t")[2:] == ["https://moodle.example.edu", "abc", "3"]
    assert listed[1].split("\t")[2:] == ["https://canvas.instructure.com", "1000000000042", "7:x,8:y"]
    bad = run.invoke(lti_app, ["register", "--client-id", "x", "--deployment", "1", *data])
    assert bad.exit_code != 0 and "missing: issuer" in bad.output
    for _ in range(3):
        assert run.invoke(lti_app, ["rotate-key", *data]).exit_code == 0
    with Session(create_engine(f"sqlite:///{tmp_path / 'layerwise.sqlite3'}")) as session:
        statuses = [k.status for k in session.scalars(select(ToolKey).order_by(ToolKey.id))]
    assert statuses == ["retired", "previous", "current"]
    pasted = run.invoke(lti_app, ["urls", "--base-url", "https://grader.example.edu/"]).output
    assert "Login / OIDC initiation: https://grader.example.edu/lti/login" in pasted
    assert "Canvas JSON configuration: https://grader.example.edu/lti/config.json" in pasted
    assert "register" not in pasted
    keyed = run.invoke(lti_app, ["urls", "--base-url", "https://g.example",
                                 "--registration-key", "k&1"]).output
    assert "Dynamic registration: https://g.example/lti/register?key=k%261" in keyed
