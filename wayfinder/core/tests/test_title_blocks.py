"""A page's title block holds words only: a tag there ends up in the browser tab and history, not
on the page (the Meetings page once wrote two of its sections, a form and its CSRF token, into
its <title>, and its people on coming agendas never showed)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TITLE = re.compile(r"\{% block title %\}(.*?)\{% endblock", re.S)


def test_no_markup_in_a_title_block():
    templates = [*ROOT.glob("wayfinder/*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    assert len(templates) > 100
    bad = [
        f"{path.relative_to(ROOT)}: {m.group(1)[:80]!r}"
        for path in templates
        for m in TITLE.finditer(path.read_text(encoding="utf-8"))
        if "<" in m.group(1) or "\n" in m.group(1)
    ]
    assert not bad, "\n".join(bad)
