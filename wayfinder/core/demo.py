"""The demo network: each app contributes a ``demo.py`` with ``load(net: DemoNetwork)``.

Everything is made through the real actions, in this order, so later apps can use what earlier
ones made (``net.agencies["lead"]``, ``net.users["navigator"]``, ``net.persons[...]``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from wayfinder.accounts.actor import Actor, actor_for

# Apps whose demo.py is loaded, in this order.
DEMO_APPS = [
    "accounts",
    "people",
    "directory",
    "assessments",
    "consent",
    "plans",
    "referrals",
    "conferences",
    "feedback",
    "prevention",
    "reports",
    "portal",
]
DEMO_PASSWORD = "wayfinder-demo-2026"  # noqa: S105 - published demo log-in, demo data only


@dataclass
class DemoNetwork:
    agencies: dict = field(default_factory=dict)  # key -> Agency
    users: dict = field(default_factory=dict)  # key -> User
    persons: list = field(default_factory=list)  # Person, in creation order
    extra: dict = field(default_factory=dict)  # anything an app wants to hand to later apps
    logins: list = field(default_factory=list)  # (role label, email, agency name)

    def actor(self, user_key: str, agency_key: str) -> Actor:
        return actor_for(
            self.users[user_key], self.agencies[agency_key], ip="127.0.0.1", via="demo"
        )


def load_demo(stdout=None) -> DemoNetwork:
    net = DemoNetwork()
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"wayfinder.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"wayfinder.{app}.demo":
                raise
            continue
        module.load(net)
        if stdout is not None:
            stdout.write(f"  demo: {app} loaded")
    return net
