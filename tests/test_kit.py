"""Commands find the kit: --kit, else the current folder, else the editable checkout the package
was installed from (issue #21); a folder given with --kit is never silently replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from layerwise.kit import SOURCE_DIR, KitNotFound, find_kit, installed_from

ROOT = Path(__file__).resolve().parents[1]


def test_outside_the_kit_the_checkout_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.chdir(tmp_path)
    assert installed_from() == ROOT
    assert find_kit(None) == ROOT and find_kit(None, needs=SOURCE_DIR) == ROOT


def test_the_current_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "solutions").mkdir()
    monkeypatch.chdir(tmp_path)
    assert find_kit(None) == tmp_path.resolve()


def test_a_kit_given_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KitNotFound, match=r"is not a layerwise kit .* --kit DIR"):
        find_kit(tmp_path)


def test_a_folder_the_checkout_lacks_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KitNotFound, match="the current folder is not a layerwise kit"):
        find_kit(None, needs="no_such_folder")
