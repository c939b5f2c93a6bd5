from pathlib import Path

import pytest


@pytest.fixture
def external() -> Path:
    """The official HSDS examples, vendored with their source and licence (see data/README.md)."""
    return Path(__file__).resolve().parent / "data"
