"""Shared test fixtures. Tests are hermetic: NETASSIST_HOME in a temp dir, Qt offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests explore new inputs on every developer run; in CI (CI=true) they replay a fixed
# sequence, so a red build is reproducible rather than a coin toss.
try:
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    if os.environ.get("CI"):
        _hyp_settings.load_profile("ci")
except ImportError:  # pragma: no cover
    pass

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATASETS = SHARED / "datasets"


@pytest.fixture(autouse=True)
def _hermetic_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("nahome")
    monkeypatch.setenv("NETASSIST_HOME", str(home))
    # a per-test keyring file (real OS keyrings are exercised by tests that start one)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyring_backend.FileKeyring")
    monkeypatch.setenv("NETASSIST_TEST_KEYRING", str(home.parent / f"{home.name}-keyring.json"))
    monkeypatch.delenv("NETASSIST_PASSPHRASE", raising=False)
    monkeypatch.delenv("NETASSIST_ENCRYPTION", raising=False)
    _use_test_keyring()
    return home


def _use_test_keyring() -> None:
    import keyring

    from tests.support.keyring_backend import FileKeyring

    keyring.set_keyring(FileKeyring())


@pytest.fixture
def home(_hermetic_home: Path) -> Path:
    return _hermetic_home


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real export files; tests using it skip with a reason without it."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (a user's clone has no ../shared)")
    return CORPUS


def corpus_files(subdir: str, *suffixes: str) -> list[Path]:
    """Files under ../shared/corpus/<subdir> (for parametrize; empty when the corpus is absent)."""
    base = CORPUS / subdir
    if not base.is_dir():
        return []
    out = [
        p
        for p in sorted(base.rglob("*"))
        if p.is_file() and (not suffixes or p.suffix.lower() in suffixes)
    ]
    return out
