"""The least a person page can cost: the page with its panels and its care-team form taken away.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_scale .venv/bin/python -m bench.skeleton

On a database ``bench.profile --fresh`` prepared, times (median of ``--repeat``, in-process, a
signed-in Django test client) the floor, the audited API read, the person page as it is, and the
page without the other apps' panels: what is left is the layout, the gate, the reveal, the care
team and the ``person.view`` event (the care team's "add a member" form is fetched only when
asked for since the fifth round). It shows how far
any change to the panels could take the page (``docs/benchmarks.md``, "The least a person page
costs"). The panels are left out by replacing the functions in this process only.
"""

from __future__ import annotations

import argparse
import os
import sys

from bench import profile  # sets the bench environment's defaults


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.skeleton")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    import django

    django.setup()
    import wayfinder.people.views as views

    pages = {label: (email, path, headers) for label, email, path, headers in profile.targets()}
    email, person_path, _ = pages["person page"]
    _, api_path, bearer = pages["API person read"]

    def person_page() -> float:
        return profile.unprofiled_ms(email, person_path, {}, args.repeat)

    rows = [
        ("floor", profile.unprofiled_ms(email, "/bench/floor", {}, args.repeat)),
        ("API person read", profile.unprofiled_ms(email, api_path, bearer, args.repeat)),
        ("person page", person_page()),
    ]
    panels = views.person_panels
    try:
        views.person_panels = lambda request, access: []
        rows.append(("without the panels", person_page()))
    finally:
        views.person_panels = panels
    floor = rows[0][1]
    print(f"load average {os.getloadavg()[0]:.2f}")
    for label, ms in rows:
        print(f"{label:40} {ms:7.2f} ms  {ms / floor:5.1f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
