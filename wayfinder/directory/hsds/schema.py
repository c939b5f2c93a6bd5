"""The official HSDS 3.0 JSON Schemas (copied into ``spec/``), ready for ``jsonschema``.

The object schemas link to each other with relative ``$ref``s (``"phone.json"``); the OpenAPI
document refers to ``.../schema/compiled/<name>.json`` URLs. Both are served from the local copies
through one ``referencing.Registry``, so nothing is fetched from the network. The "compiled"
schemas for ``service``, ``organization`` and ``service_at_location`` are the base schemas plus the
back-references upstream's compiler adds (``organization.services``, ``service_at_location.service``).

Formats checked: ``email`` and ``uri`` (with ``rfc3986-validator``). ``uuid`` is not enforced:
HSDS ids may be any string (real feeds use ``"reg-12345"``).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "spec"
BASE_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
COMPILED_URL = BASE_URL + "compiled/"

# HSDS object name -> schema file (all of them, besides openapi.json).
OBJECTS = (
    "organization",
    "program",
    "service",
    "service_at_location",
    "location",
    "address",
    "phone",
    "contact",
    "schedule",
    "language",
    "service_area",
    "cost_option",
    "required_document",
    "accessibility",
    "funding",
    "organization_identifier",
    "attribute",
    "metadata",
    "meta_table_description",
    "taxonomy",
    "taxonomy_term",
)

FORMAT_CHECKER = FormatChecker(formats=("email", "uri"))


def _absolute_refs(node):
    """Rewrite relative ``"x.json"`` refs to absolute URLs so a schema can live under any URL."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and not v.startswith(("http", "#")):
                out[k] = BASE_URL + v
            else:
                out[k] = _absolute_refs(v)
        return out
    if isinstance(node, list):
        return [_absolute_refs(v) for v in node]
    return node


@cache
def schema(name: str) -> dict:
    """The HSDS schema of one object, with absolute ``$ref``s."""
    with open(SCHEMA_DIR / f"{name}.json", encoding="utf-8") as f:
        return _absolute_refs(json.load(f))


@cache
def compiled(name: str) -> dict:
    """The "compiled" schema: ``schema(name)`` plus upstream's back-references."""
    s = copy.deepcopy(schema(name))
    if name == "organization":
        s["properties"]["services"] = {
            "type": "array",
            "items": {"$ref": BASE_URL + "service.json"},
        }
    elif name == "service_at_location":
        s["properties"]["service"] = {"$ref": BASE_URL + "service.json"}
    return s


@cache
def openapi() -> dict:
    with open(SCHEMA_DIR / "openapi.json", encoding="utf-8") as f:
        return json.load(f)


@cache
def datapackage() -> dict:
    with open(SCHEMA_DIR / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


@cache
def registry() -> Registry:
    resources = []
    for name in OBJECTS:
        resources.append((BASE_URL + f"{name}.json", schema(name)))
        resources.append((COMPILED_URL + f"{name}.json", compiled(name)))
    for name in ("service_list", "organization_list", "service_at_location_list"):
        with open(SCHEMA_DIR / "compiled" / f"{name}.json", encoding="utf-8") as f:
            resources.append((COMPILED_URL + f"{name}.json", json.load(f)))
    return Registry().with_resources(
        (url, Resource.from_contents(contents, default_specification=DRAFT202012))
        for url, contents in resources
    )


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one HSDS object (the compiled form, which accepts every nesting)."""
    return Draft202012Validator(compiled(name), registry=registry(), format_checker=FORMAT_CHECKER)


def validator_for(subschema: dict) -> Draft202012Validator:
    """A validator for any schema that refers to the HSDS URLs (e.g. a piece of ``openapi()``)."""
    return Draft202012Validator(subschema, registry=registry(), format_checker=FORMAT_CHECKER)


def errors(name: str, instance) -> list[tuple[str, str]]:
    """``[(json_path, message)]`` for one instance of HSDS object ``name``; empty when valid."""
    found = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [(e.json_path, _message(e)) for e in found]


def _message(error) -> str:
    if error.validator == "format":
        return f"{error.instance!r} is not a valid {error.validator_value}"
    return error.message


def table_fields(name: str) -> dict[str, str]:
    """Scalar fields of one HSDS table with their JSON types, in the datapackage's column order."""
    for resource in datapackage()["resources"]:
        if resource["name"] == name:
            return {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    raise KeyError(name)


def table_paths() -> dict[str, str]:
    """HSDS table name -> CSV file name, as in the official datapackage."""
    return {r["name"]: r["path"] for r in datapackage()["resources"]}
