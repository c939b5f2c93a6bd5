"""Every schema in the OpenAPI document is the one its operations use.

django-ninja names a component after the pydantic class, so two apps' classes of the same name
(``NeedOut`` in assessments and in matching) collapse into one component and the document then
describes one operation's answer with another's shape. Each name must belong to one class.
"""

import importlib
from collections.abc import Iterator

from django.apps import apps
from ninja import Schema


def _schema_classes() -> Iterator[type[Schema]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("wayfinder."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                yield value


def test_no_two_schema_classes_share_a_name() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for cls in _schema_classes():
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__]} and {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes, "Rename one of each (the OpenAPI document keeps only one):\n" + "\n".join(
        clashes
    )
