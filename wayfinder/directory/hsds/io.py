"""HSDS 3.0 in and out: read JSON and CSV, validate, plan an import, apply it; dump full objects.

Reading (pure): ``read_path`` / ``read_zip`` give ``{file name: bytes}``; ``plan_import(files)``
parses, validates against the official schemas (``hsds.schema``) and flattens every object into
one record per HSDS row, or raises ``HsdsImportError`` listing each problem with its file, JSON
path (or CSV line and column) and reason. ``apply_plan(plan)`` writes it (the caller holds the
transaction: see ``actions.import_hsds``). Import matches on ids: a second import of the same
data changes nothing.

Accepted input: a JSON object of any top-level HSDS type, a list of them, a paged API response
(``Page`` envelope with ``contents``), a ``tabular.json`` (``{"services.csv": [rows]}``), a CSV
directory (one CSV per table, with or without ``datapackage.json``), or a ZIP of any of these.

Writing: ``dump(type, rows, shape)`` turns model rows into HSDS JSON, fetching children in one
query per (table, nesting level); ``export_json()`` / ``export_csv()`` give ``{name: bytes}``.
Private models (capacity, notes, match index) are never dumped.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wayfinder.directory.hsds import schema as hsds_schema
from wayfinder.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    HsdsModel,
    Language,
    Location,
    Metadata,
    MetaTableDescription,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from wayfinder.directory.taxonomy import TAXONOMY_ID, wayfinder_terms

MODELS: dict[str, type[HsdsModel]] = {
    m.hsds_name: m
    for m in (
        Organization,
        Program,
        Service,
        ServiceAtLocation,
        Location,
        Address,
        Phone,
        Contact,
        Schedule,
        Language,
        ServiceArea,
        CostOption,
        RequiredDocument,
        Accessibility,
        Funding,
        OrganizationIdentifier,
        Attribute,
        Metadata,
        MetaTableDescription,
        Taxonomy,
        TaxonomyTerm,
    )
}

# Nesting, as in the HSDS schemas: type -> {key: (child type, kind, field)}.
#  "down": the children carry the parent's id in ``field``;
#  "up":   the parent carries the nested object's id in ``field``.
# Every type whose schema has ``attributes`` / ``metadata`` also nests those (generic links).
EDGES: dict[str, dict[str, tuple[str, str, str]]] = {
    "organization": {
        "funding": ("funding", "down", "organization_id"),
        "contacts": ("contact", "down", "organization_id"),
        "phones": ("phone", "down", "organization_id"),
        "locations": ("location", "down", "organization_id"),
        "programs": ("program", "down", "organization_id"),
        "organization_identifiers": ("organization_identifier", "down", "organization_id"),
        "services": ("service", "down", "organization_id"),
    },
    "service": {
        "phones": ("phone", "down", "service_id"),
        "schedules": ("schedule", "down", "service_id"),
        "service_areas": ("service_area", "down", "service_id"),
        "service_at_locations": ("service_at_location", "down", "service_id"),
        "languages": ("language", "down", "service_id"),
        "organization": ("organization", "up", "organization_id"),
        "funding": ("funding", "down", "service_id"),
        "cost_options": ("cost_option", "down", "service_id"),
        "program": ("program", "up", "program_id"),
        "required_documents": ("required_document", "down", "service_id"),
        "contacts": ("contact", "down", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "down", "service_at_location_id"),
        "phones": ("phone", "down", "service_at_location_id"),
        "schedules": ("schedule", "down", "service_at_location_id"),
        "location": ("location", "up", "location_id"),
        "service": ("service", "up", "service_id"),
    },
    "location": {
        "languages": ("language", "down", "location_id"),
        "addresses": ("address", "down", "location_id"),
        "contacts": ("contact", "down", "location_id"),
        "accessibility": ("accessibility", "down", "location_id"),
        "phones": ("phone", "down", "location_id"),
        "schedules": ("schedule", "down", "location_id"),
    },
    "contact": {"phones": ("phone", "down", "contact_id")},
    "phone": {"languages": ("language", "down", "phone_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "up", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "up", "taxonomy_id")},
}
for _t in MODELS:
    _props = hsds_schema.schema(_t)["properties"]
    if "attributes" in _props:
        EDGES.setdefault(_t, {})["attributes"] = ("attribute", "attr", "link_id")
    if "metadata" in _props:
        EDGES.setdefault(_t, {})["metadata"] = ("metadata", "meta", "resource_id")

# Link fields of each table: field -> target type (for the dangling-reference warnings).
REFERENCES: dict[str, dict[str, str]] = defaultdict(dict)
for _t, _edges in EDGES.items():
    for _key, (_child, _kind, _field) in _edges.items():
        if _kind == "down":
            REFERENCES[_child][_field] = _t
        elif _kind == "up":
            REFERENCES[_t][_field] = _child
REFERENCES["organization"]["parent_organization_id"] = "organization"
REFERENCES["taxonomy_term"]["parent_id"] = "taxonomy_term"

# HSDS field name -> model attribute, where they differ.
FIELD_ALIASES = {("taxonomy_term", "taxonomy"): "taxonomy_label"}

MAX_ERRORS = 200
MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 200


# --- results and errors ---------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    where: str  # "service_full.json $.phones[0].number" or "addresses.csv line 3, postal_code"
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


class HsdsImportError(Exception):
    """The input is not valid HSDS 3.0; nothing was imported."""

    def __init__(self, errors: list[Issue]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); first: {errors[0] if errors else ''}")


@dataclass
class Plan:
    """What an import will write: one record per HSDS row, merged by (type, id)."""

    records: dict[tuple[str, str], dict] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)  # "what was ignored" -> times

    def all_warnings(self) -> list[str]:
        return [
            *self.warnings,
            *(f"{what} (x{n})" if n > 1 else what for what, n in sorted(self.ignored.items())),
        ]

    def add(self, t: str, record: dict, where: str) -> None:
        key = (t, str(record["id"]))
        if key in self.records:
            merged = self.records[key]
            for k, v in record.items():
                if v not in (None, "") or k not in merged:
                    merged[k] = v
        else:
            self.records[key] = dict(record)
            self.where[key] = where

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for t, _ in self.records:
            out[t] += 1
        return dict(out)


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    service_ids: set[str] = field(default_factory=set)

    def rows(self) -> list[tuple[str, int, int, int]]:
        """``(type, created, updated, unchanged)`` per HSDS type, by name."""
        return [
            (t, self.created.get(t, 0), self.updated.get(t, 0), self.unchanged.get(t, 0))
            for t in sorted(self.created)
        ]

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    @property
    def total_unchanged(self) -> int:
        return sum(self.unchanged.values())


# --- reading sources --------------------------------------------------------------------------


def read_path(path: str | Path) -> dict[str, bytes]:
    """A file (.json, .csv, .zip) or a directory (its .json and .csv files) as ``{name: bytes}``."""
    p = Path(path)
    if p.is_dir():
        files = {
            f.name: f.read_bytes()
            for f in sorted(p.iterdir())
            if f.is_file() and f.suffix.lower() in (".json", ".csv")
        }
        _follow_datapackage_pointer(p, files)
        if not files:
            raise HsdsImportError([Issue(str(p), "the folder holds no .json or .csv file")])
        return files
    if not p.is_file():
        raise HsdsImportError([Issue(str(p), "no such file or folder")])
    data = p.read_bytes()
    if p.suffix.lower() == ".zip":
        return read_zip(data, name=p.name)
    return {p.name: data}


def _follow_datapackage_pointer(folder: Path, files: dict[str, bytes]) -> None:
    """A git symlink checked out as text (``../../datapackage.json``): read what it points to."""
    raw = files.get("datapackage.json")
    if raw is None or len(raw) > 300 or raw.lstrip().startswith(b"{"):
        return
    target = (folder / raw.decode("utf-8", "replace").strip()).resolve()
    if target.is_file() and target.name == "datapackage.json":
        files["datapackage.json"] = target.read_bytes()
    else:
        del files["datapackage.json"]


def read_zip(data: bytes, *, name: str = "upload.zip") -> dict[str, bytes]:
    """The .json and .csv members of a ZIP (folders flattened), refusing oversized archives."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise HsdsImportError([Issue(name, "not a valid ZIP file")]) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise HsdsImportError([Issue(name, f"more than {MAX_ZIP_MEMBERS} files in the ZIP")])
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise HsdsImportError([Issue(name, "the ZIP unpacks to more than 50 MB")])
    files = {}
    for m in members:
        base = PurePosixPath(m.filename).name
        if base.startswith(".") or PurePosixPath(base).suffix.lower() not in (".json", ".csv"):
            continue
        files[base] = archive.read(m)
    if not files:
        raise HsdsImportError([Issue(name, "the ZIP holds no .json or .csv file")])
    return files


# --- planning an import -----------------------------------------------------------------------


def plan_import(files: dict[str, bytes]) -> Plan:
    """Parse, validate and flatten; raise ``HsdsImportError`` with every problem found."""
    plan = Plan(files=sorted(files))
    errors: list[Issue] = []
    csv_files = {n: b for n, b in files.items() if n.lower().endswith(".csv")}
    json_files = {n: b for n, b in files.items() if n.lower().endswith(".json")}
    if csv_files:
        datapackage = None
        if "datapackage.json" in json_files:
            datapackage, err = _load_json("datapackage.json", json_files.pop("datapackage.json"))
            if err:
                errors.append(err)
        _read_tables(csv_files, datapackage, plan, errors)
        for n in json_files:
            plan.warnings.append(f"{n}: ignored (a CSV folder is imported from its CSV files)")
    else:
        for n, raw in sorted(json_files.items()):
            doc, err = _load_json(n, raw)
            if err:
                errors.append(err)
                continue
            _read_document(n, doc, plan, errors)
    if not errors:
        _check_records(plan, errors)
    if not errors and not plan.records:
        errors.append(Issue("", "no HSDS records found"))
    if errors:
        raise HsdsImportError(errors[:MAX_ERRORS])
    _keep_wayfinder_taxonomy(plan)
    return plan


def _load_json(name: str, raw: bytes):
    try:
        return json.loads(raw.decode("utf-8-sig")), None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, Issue(name, f"not valid JSON ({exc})")


_PLURALS = {
    "taxonomy": "taxonomies",
    "accessibility": "accessibility",
    "funding": "funding",
    "metadata": "metadata",
    "address": "addresses",
}


def type_from_name(name: str) -> str | None:
    """``service_full.json``, ``services.csv``, ``taxonomy_term_list.json`` -> the HSDS type."""
    stem = PurePosixPath(name).stem.lower()
    for suffix in ("_full", "_list", "_data", "_package"):
        stem = stem.removesuffix(suffix)
    if stem in MODELS:
        return stem
    for t in MODELS:
        if stem in (_PLURALS.get(t, t + "s"), t + "s"):
            return t
    return None


def type_from_shape(obj: dict) -> str | None:
    """Guess the HSDS type of an object from its fields (for files with an unhelpful name)."""
    keys = set(obj)
    if "status" in keys and "name" in keys:
        return "service"
    if "location_type" in keys:
        return "location"
    if keys & {"service", "location", "service_id", "location_id"} and "name" not in keys:
        return "service_at_location"
    if keys & {"taxonomy_detail", "taxonomy_id", "parent_id", "term_uri", "code", "taxonomy"}:
        return "taxonomy_term"
    if keys & {"services", "programs", "organization_identifiers", "website", "legal_status"}:
        return "organization"
    if {"name", "description"} <= keys and keys <= {"id", "name", "description", "uri", "version"}:
        return "taxonomy" if "version" in keys or "uri" in keys else "organization"
    if {"name", "description"} <= keys:
        return "organization"
    return None


def _is_page(doc) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("contents"), list) and "total_items" in doc


def _read_document(name: str, doc, plan: Plan, errors: list[Issue]) -> None:
    if isinstance(doc, dict) and doc and all(str(k).endswith(".csv") for k in doc):
        # tabular.json: {"services.csv": [rows], ...}
        tables = {}
        for k, rows in doc.items():
            if not isinstance(rows, list):
                errors.append(Issue(f"{name} $['{k}']", "expected a list of rows"))
                continue
            tables[k] = rows
        _read_tables({k: rows for k, rows in tables.items()}, None, plan, errors, source=name)
        return
    if isinstance(doc, dict) and {"version", "openapi_url"} & set(doc) and "id" not in doc:
        errors.append(
            Issue(
                name,
                "this is an HSDS API root document (version, profile, openapi_url); "
                "it holds no directory data",
            )
        )
        return
    if _is_page(doc):
        page_errors = hsds_schema.validator_for(
            hsds_schema.openapi()["components"]["schemas"]["Page"]
        ).iter_errors(doc)
        for e in page_errors:
            errors.append(Issue(f"{name} {e.json_path}", e.message))
        items, base = doc["contents"], "$.contents"
    elif isinstance(doc, list):
        items, base = doc, "$"
    elif isinstance(doc, dict):
        items, base = [doc], None
    else:
        errors.append(Issue(name, "expected a JSON object, a list of objects or a Page"))
        return
    t = type_from_name(name)
    for i, item in enumerate(items):
        path = "$" if base is None else f"{base}[{i}]"
        if not isinstance(item, dict):
            errors.append(Issue(f"{name} {path}", "expected an object"))
            continue
        item_type = t or type_from_shape(item)
        if item_type is None:
            errors.append(
                Issue(
                    f"{name} {path}",
                    "cannot tell which HSDS object this is; "
                    "name the file after it (e.g. services.json)",
                )
            )
            continue
        found = hsds_schema.errors(item_type, item)
        for json_path, message in found:
            errors.append(Issue(f"{name} {path}{json_path[1:]}", message))
        if not found:
            _flatten(item_type, item, f"{name} {path}", plan, {})


def _flatten(t: str, obj: dict, where: str, plan: Plan, context: dict) -> str:
    """Add ``obj`` and everything nested in it to the plan; return its id."""
    scalars = hsds_schema.table_fields(t)
    record = {k: v for k, v in obj.items() if k in scalars}
    for k, v in context.items():
        if record.get(k) in (None, ""):
            record[k] = v
    own_id = str(obj["id"])
    edges = EDGES.get(t, {})
    for key, value in obj.items():
        if key in scalars:
            continue
        edge = edges.get(key)
        if edge is None:
            plan.ignored[f"field '{key}' is not part of HSDS 3.0 {t}; ignored"] += 1
            continue
        child, kind, fk = edge
        if kind == "up":
            if isinstance(value, dict):
                child_id = _flatten(child, value, f"{where}.{key}", plan, {})
                if record.get(fk) in (None, ""):
                    record[fk] = child_id
            continue
        for i, item in enumerate(value or []):
            ctx = {fk: own_id}
            if kind == "attr":
                ctx["link_entity"] = t
            elif kind == "meta":
                ctx["resource_type"] = t
            _flatten(child, item, f"{where}.{key}[{i}]", plan, ctx)
    plan.add(t, record, where)
    return own_id


def _table_files(
    names: list[str], datapackage: dict | None, plan: Plan, source: str
) -> dict[str, str]:
    """HSDS table -> file name among ``names``: the datapackage's paths, else the usual names."""
    official = hsds_schema.table_paths()
    declared = {}
    if isinstance(datapackage, dict):
        for r in datapackage.get("resources") or []:
            if isinstance(r, dict) and r.get("name") in MODELS and r.get("path"):
                declared[r["name"]] = PurePosixPath(str(r["path"])).name
    found, claimed = {}, set()
    for t in MODELS:
        candidates = [
            declared.get(t),
            official.get(t),
            f"{t}.csv",
            f"{_PLURALS.get(t, t + 's')}.csv",
        ]
        for c in candidates:
            if c and c in names and c not in claimed:
                found[t] = c
                claimed.add(c)
                break
    for n in names:
        if n not in claimed:
            plan.warnings.append(f"{source}{n}: not an HSDS 3.0 table (or a duplicate); ignored")
    return found


def _read_tables(
    tables: dict, datapackage: dict | None, plan: Plan, errors: list[Issue], source: str = ""
) -> None:
    """CSV files (``{name: bytes}``) or tabular.json lists (``{name: [rows]}``) -> records."""
    prefix = f"{source} " if source else ""
    for t, name in _table_files(sorted(tables), datapackage, plan, prefix).items():
        content = tables[name]
        if isinstance(content, bytes):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors.append(Issue(prefix + name, "not UTF-8 text"))
                continue
            rows = list(csv.DictReader(io.StringIO(text)))
            first_line = 2
        else:
            rows, first_line = content, None
        types = hsds_schema.table_fields(t)
        for i, raw in enumerate(rows):
            where = (
                f"{prefix}{name} line {first_line + i}"
                if first_line
                else f"{prefix}$['{name}'][{i}]"
            )
            if not isinstance(raw, dict):
                errors.append(Issue(where, "expected an object"))
                continue
            record, row_errors = _typed_row(raw, types, where, plan, t)
            errors.extend(row_errors)
            if row_errors:
                continue
            present = {k: v for k, v in record.items() if v is not None}
            found = hsds_schema.errors(t, present)
            for json_path, message in found:
                column = json_path[2:] or "row"
                errors.append(Issue(f"{where}, {column}", message))
            if not found:
                plan.add(t, record, where)
            if len(errors) > MAX_ERRORS:
                return


def _typed_row(raw: dict, types: dict[str, str], where: str, plan: Plan, t: str):
    record, errors = {}, []
    for k, v in raw.items():
        if k is None or k not in types:
            plan.ignored[f"column '{k}' is not part of HSDS 3.0 {t}; ignored"] += 1
            continue
        if isinstance(v, str):
            v = v.strip() if types[k] == "number" else v
            if v == "":
                v = None
        if types[k] != "number" and isinstance(v, int | float) and not isinstance(v, bool):
            v = str(v)  # tabular rows are CSV-like: 10092008082 in a text column is text
        if v is not None and types[k] == "number" and isinstance(v, str):
            try:
                number = float(v)
            except ValueError:
                errors.append(Issue(f"{where}, {k}", f"{v!r} is not a number"))
                continue
            v = int(number) if number.is_integer() else number
        record[k] = v
    return record, errors


def _check_records(plan: Plan, errors: list[Issue]) -> None:
    """Rules the schemas cannot express; plus conversion to model values (lengths, dates)."""
    type_of: dict[str, str] = {}
    for (t, i), _ in plan.records.items():
        if i in type_of and type_of[i] != t:
            errors.append(
                Issue(
                    plan.where[(t, i)],
                    f"id '{i}' is used for both a {type_of[i]} and a {t}; "
                    "HSDS ids must identify one object",
                )
            )
        type_of.setdefault(i, t)
    for (t, i), record in plan.records.items():
        where = plan.where[(t, i)]
        if t == "taxonomy_term" and record.get("parent_id") == i:
            errors.append(Issue(where, f"taxonomy term '{i}' is its own parent"))
        if t == "organization" and record.get("parent_organization_id") == i:
            errors.append(Issue(where, f"organization '{i}' is its own parent"))
        try:
            plan.records[(t, i)] = to_model_values(t, record)
        except ValueError as exc:
            errors.append(Issue(where, str(exc)))


def _fields(model) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _keep_wayfinder_taxonomy(plan: Plan) -> None:
    """The Wayfinder taxonomy and its terms are Wayfinder's own: an import never changes them
    (matching relies on their meaning). Attributes that use them are imported as usual."""
    own = {("taxonomy", TAXONOMY_ID)} | {("taxonomy_term", t["id"]) for t in wayfinder_terms()}
    for key in own & set(plan.records):
        del plan.records[key]
        plan.ignored[
            "the Wayfinder taxonomy is maintained by Wayfinder; its rows were left as they are"
        ] += 1


def to_model_values(t: str, record: dict) -> dict:
    """HSDS field values -> model attribute values; ``ValueError`` names the offending field."""
    fields = _fields(MODELS[t])
    out: dict[str, Any] = {}
    for k, v in record.items():
        attr = FIELD_ALIASES.get((t, k), k)
        f = fields[attr]
        if isinstance(f, models.DateTimeField):
            out[attr] = _parse_datetime(k, v)
        elif isinstance(f, models.FloatField):
            out[attr] = None if v is None else float(v)
        else:
            text: str | None = "" if v is None else str(v)
            if isinstance(f, models.ForeignKey):
                text = text or None
                limit = f.target_field.max_length
            else:
                limit = f.max_length
            if text and limit and len(text) > limit:
                raise ValueError(f"{k}: longer than {limit} characters")
            out[attr] = text
    if not out.get("id"):
        raise ValueError("id: must not be empty")
    return out


def _parse_datetime(name: str, value) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value).replace("Z", "+00:00"))
    if parsed is None:
        raise ValueError(f"{name}: {value!r} is not a date-time (ISO 8601)")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- applying a plan --------------------------------------------------------------------------


def apply_plan(plan: Plan) -> ImportResult:
    """Create or update every planned row; unchanged rows are not touched. Call in a transaction."""
    result = ImportResult(warnings=plan.all_warnings())
    now = timezone.now()
    by_type: dict[str, list[dict]] = defaultdict(list)
    for (t, _), values in plan.records.items():
        by_type[t].append(values)
    for t, records in by_type.items():
        model = MODELS[t]
        existing = {}
        ids = [r["id"] for r in records]
        for chunk in _chunks(ids, 500):
            existing.update(model._default_manager.in_bulk(chunk))
        to_create, to_update, changed_fields = [], [], set()
        unchanged = 0
        for values in records:
            row = existing.get(values["id"])
            if row is None:
                to_create.append(model(**values))
                continue
            diff = [k for k, v in values.items() if getattr(row, k) != v]
            if not diff:
                unchanged += 1
                continue
            for k in diff:
                setattr(row, k, values[k])
            row.updated_at = now
            changed_fields.update(diff)
            to_update.append(row)
        if to_create:
            model._default_manager.bulk_create(to_create, batch_size=500)
        if to_update:
            model._default_manager.bulk_update(
                to_update, [*sorted(changed_fields), "updated_at"], batch_size=500
            )
        result.created[t] = len(to_create)
        result.updated[t] = len(to_update)
        result.unchanged[t] = unchanged
    result.warnings.extend(_dangling(plan))
    result.service_ids = _affected_services(plan)
    return result


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _dangling(plan: Plan, limit: int = 50) -> list[str]:
    """Warnings for links to objects neither in the file nor already in the directory."""
    wanted: dict[str, set[str]] = defaultdict(set)
    uses = []
    for (t, i), values in plan.records.items():
        for fld, target in REFERENCES.get(t, {}).items():
            ref = values.get(fld)
            if ref and (target, ref) not in plan.records:
                wanted[target].add(ref)
                uses.append((t, i, fld, target, ref))
    known: dict[str, set[str]] = {}
    for target, ids in wanted.items():
        known[target] = set()
        for chunk in _chunks(sorted(ids), 500):
            known[target].update(
                MODELS[target]._default_manager.filter(pk__in=chunk).values_list("pk", flat=True)
            )
    out = [
        f"{plan.where[(t, i)]}: {fld} '{ref}': no such {target} in the file or the directory "
        "(the link is kept)"
        for t, i, fld, target, ref in uses
        if ref not in known[target]
    ]
    if len(out) > limit:
        out = [*out[:limit], f"... and {len(out) - limit} more unresolved references"]
    return out


def _affected_services(plan: Plan) -> set[str]:
    """Services whose match-index rows may change with this import."""
    ids = {i for (t, i) in plan.records if t == "service"}
    location_ids = set()
    for (t, _i), values in plan.records.items():
        # (Capacity is private to Wayfinder: it never comes in through an import.)
        if t in ("service_at_location", "language", "service_area") and values.get("service_id"):
            ids.add(values["service_id"])
        elif t == "attribute" and values.get("link_id"):
            ids.add(values["link_id"])  # filtered to real services by the reindex
        elif t in ("location", "address"):
            location_ids.add(values.get("location_id") if t == "address" else values["id"])
    location_ids.discard(None)
    for chunk in _chunks(sorted(location_ids), 500):
        ids.update(
            ServiceAtLocation.objects.filter(location_id__in=chunk)
            .exclude(service_id=None)
            .values_list("service_id", flat=True)
        )
    return ids


# --- dumping HSDS JSON ------------------------------------------------------------------------

# What to nest under an object: relation name -> its own shape; "+" adds attributes and metadata.
Shape = dict[str, Any]

PHONE = {"+": True, "languages": {"+": True}}
CONTACT = {"+": True, "phones": PHONE}
LOCATION_FULL = {
    "+": True,
    "languages": {"+": True},
    "addresses": {"+": True},
    "contacts": CONTACT,
    "accessibility": {"+": True},
    "phones": PHONE,
    "schedules": {"+": True},
}
_SERVICE_CHILDREN = {
    "+": True,
    "phones": PHONE,
    "schedules": {"+": True},
    "service_areas": {"+": True},
    "languages": {"+": True},
    "organization": {},
    "funding": {"+": True},
    "cost_options": {"+": True},
    "program": {},
    "required_documents": {"+": True},
    "contacts": CONTACT,
}
SAL_IN_SERVICE = {
    "+": True,
    "contacts": CONTACT,
    "phones": PHONE,
    "schedules": {"+": True},
    "location": LOCATION_FULL,
}
SERVICE_FULL = {**_SERVICE_CHILDREN, "service_at_locations": SAL_IN_SERVICE}
SERVICE_LIST: Shape = {"organization": {}, "program": {}}
SAL_FULL = {**SAL_IN_SERVICE, "service": _SERVICE_CHILDREN}
SAL_LIST: Shape = {"location": {}, "service": {}}
ORGANIZATION_FULL = {
    "+": True,
    "funding": {"+": True},
    "contacts": CONTACT,
    "phones": PHONE,
    "locations": LOCATION_FULL,
    "programs": {"+": True},
    "organization_identifiers": {"+": True},
}
TAXONOMY_TERM_FULL: Shape = {"taxonomy_detail": {}}
_ATTRIBUTE: Shape = {"taxonomy_term": {}}


def scalars(t: str, row) -> dict:
    """The one-to-one fields of a row, HSDS names, in datapackage order; empty ones left out."""
    required = set(hsds_schema.schema(t).get("required", ()))
    out = {}
    for name in hsds_schema.table_fields(t):
        value = getattr(row, FIELD_ALIASES.get((t, name), name))
        if value is None or value == "":
            if name in required:
                out[name] = "" if value is None else value
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        out[name] = value
    return out


def dump(t: str, rows: list, shape: dict) -> list[dict]:
    """HSDS JSON for ``rows`` of type ``t``, nesting per ``shape`` (``"+"``: attributes+metadata).

    One query per nested table and level, plus one for all attributes, one for their terms and
    one for all metadata of the whole tree: the count does not grow with the number of rows.
    """
    pending: list[tuple[dict, str, str]] = []  # (output, id, type) of nodes wanting extras
    out = _dump(t, rows, shape, pending)
    if pending:
        _attach_extras(pending)
    return out


def _dump(t: str, rows: list, shape: dict, pending: list) -> list[dict]:
    out = [scalars(t, r) for r in rows]
    if not rows:
        return out
    ids = [r.pk for r in rows]
    edges = EDGES.get(t, {})
    for key, sub in shape.items():
        if key == "+":
            continue
        child, kind, fk = edges[key]
        model = MODELS[child]
        if kind == "down":
            children: list[models.Model] = []
            for chunk in _chunks(ids, 500):
                children.extend(
                    model._default_manager.filter(**{f"{fk}__in": chunk}).order_by("id")
                )
            dumped = _dump(child, children, sub, pending)
            groups = defaultdict(list)
            for c, d in zip(children, dumped, strict=True):
                groups[getattr(c, fk)].append(d)
            for o, r in zip(out, rows, strict=True):
                if groups.get(r.pk):
                    o[key] = groups[r.pk]
        else:  # "up"
            target_ids = sorted({getattr(r, fk) for r in rows if getattr(r, fk)})
            targets: list[models.Model] = []
            for chunk in _chunks(target_ids, 500):
                targets.extend(model._default_manager.filter(pk__in=chunk).order_by("id"))
            by_id = dict(
                zip([x.pk for x in targets], _dump(child, targets, sub, pending), strict=True)
            )
            for o, r in zip(out, rows, strict=True):
                if getattr(r, fk) in by_id:
                    o[key] = by_id[getattr(r, fk)]
    if shape.get("+"):
        pending.extend((o, r.pk, t) for o, r in zip(out, rows, strict=True))
    return out


def _attach_extras(pending: list[tuple[dict, str, str]]) -> None:
    """Add ``attributes`` and ``metadata`` to every pending node whose schema has them."""
    ids = sorted({pk for _, pk, _ in pending})
    for key, model, link, sub in (
        ("attributes", Attribute, "link_id", _ATTRIBUTE),
        ("metadata", Metadata, "resource_id", {}),
    ):
        children: list[models.Model] = []
        for chunk in _chunks(ids, 500):
            children.extend(model.objects.filter(**{f"{link}__in": chunk}).order_by("id"))
        if not children:
            continue
        dumped = _dump(model.hsds_name, children, sub, [])
        groups = defaultdict(list)
        for c, d in zip(children, dumped, strict=True):
            groups[getattr(c, link)].append(d)
        for o, pk, t in pending:
            if groups.get(pk) and key in EDGES.get(t, {}):
                o[key] = groups[pk]


# --- exports ----------------------------------------------------------------------------------

EXPORT_BATCH = 500


def _dump_all(t: str, qs, shape: dict) -> list[dict]:
    out = []
    ids = list(qs.order_by("id").values_list("id", flat=True))
    model = MODELS[t]
    for chunk in _chunks(ids, EXPORT_BATCH):
        out.extend(dump(t, list(model._default_manager.filter(pk__in=chunk).order_by("id")), shape))
    return out


def _json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def export_json() -> dict[str, bytes]:
    """Full HSDS objects, one JSON array per top-level type (each an HSDS "package").

    Locations belonging to no organization go to ``locations.json``; everything else nests
    under its organization, service, taxonomy or term as in the HSDS schemas.
    """
    return {
        "organizations.json": _json_bytes(
            _dump_all("organization", Organization.objects.all(), ORGANIZATION_FULL)
        ),
        "services.json": _json_bytes(_dump_all("service", Service.objects.all(), SERVICE_FULL)),
        "locations.json": _json_bytes(
            _dump_all("location", Location.objects.filter(organization_id=None), LOCATION_FULL)
        ),
        "taxonomies.json": _json_bytes(_dump_all("taxonomy", Taxonomy.objects.all(), {})),
        "taxonomy_terms.json": _json_bytes(
            _dump_all("taxonomy_term", TaxonomyTerm.objects.all(), {})
        ),
    }


def export_csv() -> dict[str, bytes]:
    """Every HSDS table as CSV (the official file names and columns) plus ``datapackage.json``."""
    files = {}
    for t, path in hsds_schema.table_paths().items():
        columns = list(hsds_schema.table_fields(t))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in MODELS[t]._default_manager.order_by("id").iterator(chunk_size=2000):
            writer.writerow(scalars(t, row))
        files[path] = buffer.getvalue().encode()
    files["datapackage.json"] = _json_bytes(hsds_schema.datapackage())
    return files


def to_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()
