"""Shared by the directory tests."""

from __future__ import annotations

from pathlib import Path

from wayfinder.directory.actions import import_hsds
from wayfinder.directory.hsds import io as hsds_io
from wayfinder.directory.hsds import schema as hsds_schema

HSDS30 = "openreferral-specification-hsds-3.0"
UK = "OpenReferralUK-uk-profile"
ORUK_MOCKS = "OpenReferralUK-oruk-validator/OpenReferralApi/Mocks"

# Examples that are not directory data: the API root document ({version, profile, openapi_url}).
NOT_DATA = {"base.json"}

# Which schema each JSON export file's items follow.
EXPORT_TYPES = {
    "organizations.json": "organization",
    "services.json": "service",
    "locations.json": "location",
    "taxonomies.json": "taxonomy",
    "taxonomy_terms.json": "taxonomy_term",
}


def example_paths(external: Path) -> list[Path]:
    """Every HSDS data example: 3.0 and UK-profile JSON files and their CSV folders."""
    paths = []
    for folder in (external / HSDS30 / "examples", external / UK / "examples"):
        paths += [p for p in sorted(folder.glob("*.json")) if p.name not in NOT_DATA]
        paths.append(folder / "csv")
    return paths


def import_path(path, actor=None) -> hsds_io.ImportResult:
    return import_hsds(hsds_io.read_path(path), actor=actor, source=str(path))


def import_all_examples(external: Path) -> None:
    for path in example_paths(external):
        import_path(path)


def clear_directory() -> None:
    """Delete every HSDS row except the Wayfinder taxonomy (which a migration provides)."""
    from wayfinder.directory.taxonomy import ensure_wayfinder_taxonomy

    for model in hsds_io.MODELS.values():
        model._default_manager.all().delete()
    ensure_wayfinder_taxonomy()


def schema_errors(files: dict[str, bytes]) -> list[str]:
    """Every schema error of a JSON export, as ``file $.path: message``."""
    import json

    problems = []
    for name, raw in files.items():
        for i, item in enumerate(json.loads(raw)):
            for path, message in hsds_schema.errors(EXPORT_TYPES[name], item):
                problems.append(f"{name} $[{i}]{path[1:]}: {message}")
    return problems
