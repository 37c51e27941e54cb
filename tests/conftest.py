import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# tests import their shared helpers (helpers_plugs, _mapcheck) as top-level modules
sys.path.insert(0, str(Path(__file__).parent))


def shared_dir() -> Path:
    """The shared/ folder beside the repository (CI clones the repo with shared/ beside it)."""
    env = os.environ.get("HEALTHLINT_SHARED")
    for candidate in ([Path(env)] if env else []) + [REPO.parent / "shared", Path("/work/shared")]:
        if (candidate / "gold" / "score.py").exists():
            return candidate
    raise RuntimeError("shared/ (seed articles and gold labels) not found beside the repository")


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Command-line runs in the tests keep their start-up cache in a folder of their own,
    never in the user's ~/.cache (subprocesses inherit the variable)."""
    old = os.environ.get("HEALTHLINT_CACHE_DIR")
    os.environ["HEALTHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("healthlint-cache"))
    yield
    if old is None:
        os.environ.pop("HEALTHLINT_CACHE_DIR", None)
    else:
        os.environ["HEALTHLINT_CACHE_DIR"] = old
