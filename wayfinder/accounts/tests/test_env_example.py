"""`.env.example` lists every environment variable that config/settings.py reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = re.compile(r'env_(?:bool|int|str|secret)\(\s*"([A-Z][A-Z0-9_]*)"')
# "NAME=value", or "# NAME=example" for a setting whose default is computed.
ENTRY = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=")


def test_every_setting_read_from_the_environment_is_documented():
    read = set(READ.findall((ROOT / "config" / "settings.py").read_text()))
    assert len(read) > 20  # the pattern still finds them
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {m.group(1) for m in map(ENTRY.match, lines) if m}
    assert sorted(read - documented) == [], "add these to .env.example"
    assert sorted(documented - read) == [], "these are no longer read by config/settings.py"


def test_every_entry_has_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for i, line in enumerate(lines):
        if ENTRY.match(line):
            above = lines[i - 1]
            assert above.startswith("#") and not ENTRY.match(above), f"{line}: no comment above"
