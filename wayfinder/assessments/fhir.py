"""FHIR R4 for assessments, following the SDOH Clinical Care IG shapes (PRAPARE examples).

- each instrument version -> ``Questionnaire`` (sections as groups, options as codings, Spanish as
  translation extensions, show-if conditions as ``enableWhen``);
- each session -> ``QuestionnaireResponse`` (a declined choice is LOINC LA30122-8 "I choose not
  to answer this question", as in PRAPARE; any other declined item carries the data-absent-reason
  extension ``asked-declined``);
- each score -> ``Observation`` (categories survey + sdoh + an SDOHCC category, ``derivedFrom``
  the response). The SDOHCC screening-response profile binds ``code`` to LOINC, and our scores
  have no LOINC codes, so the shape is followed but the profile is not claimed.

Pure functions: callers pass only what the reader may see, and audit the export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wayfinder.assessments.instruments import Instrument, Item, ResponseType, ScoreRule, registry
from wayfinder.interop import valuesets as vs

if TYPE_CHECKING:
    from wayfinder.assessments.models import Score, Session
    from wayfinder.assessments.queries import StoredAnswer

QR_STATUS = {"in_progress": "in-progress", "completed": "completed", "stopped": "stopped"}
ITEM_TYPE = {
    ResponseType.SINGLE_CHOICE: "choice",
    ResponseType.MULTIPLE_CHOICE: "choice",
    ResponseType.SCALE: "choice",
    ResponseType.YES_NO: "choice",
    ResponseType.NUMBER: "integer",
    ResponseType.DATE: "date",
    ResponseType.SHORT_TEXT: "string",
}


def fhir_id(value: str) -> str:
    """FHIR ids allow letters, digits, '-' and '.' only."""
    return value.replace("_", "-")


def questionnaire_url(instrument: Instrument) -> str:
    return f"{vs.CANONICAL_BASE}/Questionnaire/{fhir_id(instrument.id)}"


def _translations(text: dict[str, str], base: str = "en") -> dict | None:
    others = [
        {
            "url": vs.TRANSLATION_EXT,
            "extension": [
                {"url": "lang", "valueCode": lang},
                {"url": "content", "valueString": value},
            ],
        }
        for lang, value in text.items()
        if lang != base
    ]
    return {"extension": others} if others else None


def _text(target: dict, key: str, text: dict[str, str] | None) -> None:
    if not text:
        return
    target[key] = text.get("en", "")
    ext = _translations(text)
    if ext:
        target[f"_{key}"] = ext


def _coding(instrument: Instrument, item: Item, value, language: str = "en") -> dict:
    option = item.option(value)
    coding = {"system": vs.instrument_answers_system(instrument.id), "code": str(value)}
    if option is not None:
        coding["display"] = option.label.get(language) or option.label["en"]
    return coding


DECLINED_CODING = {
    "system": vs.LOINC,
    "code": vs.LOINC_DECLINED,
    "display": "I choose not to answer this question",
}


# --- Questionnaire -------------------------------------------------------------------------------


def _enable_when(instrument: Instrument, cond: dict) -> tuple[list[dict], str | None] | None:
    """(enableWhen list, enableBehavior) for a condition, or None if FHIR cannot say it."""
    if "all" in cond or "any" in cond:
        parts = cond.get("all") or cond.get("any")
        if not parts:  # an empty group: nothing FHIR can say
            return None
        out = []
        for part in parts:
            sub = _enable_when(instrument, part)
            if sub is None or len(sub[0]) != 1:
                return None
            out += sub[0]
        return out, ("all" if "all" in cond else "any")
    ref = instrument.item(cond["item"])
    op = next(k for k in cond if k != "item")
    arg = cond[op]

    def answer(value) -> dict:
        if ref.type == ResponseType.NUMBER:
            return {"answerInteger": value}
        return {"answerCoding": _coding(instrument, ref, value)}

    q = cond["item"]
    if op == "answered":
        return [{"question": q, "operator": "exists", "answerBoolean": arg}], None
    if op in ("equals", "includes"):
        return [{"question": q, "operator": "=", **answer(arg)}], None
    if op == "not_equals":
        return [{"question": q, "operator": "!=", **answer(arg)}], None
    if op == "in":
        return [{"question": q, "operator": "=", **answer(v)} for v in arg], "any"
    if op == "not_in":
        return [{"question": q, "operator": "!=", **answer(v)} for v in arg], "all"
    if op in ("gte", "lte"):
        if ref.type == ResponseType.NUMBER:
            return [
                {"question": q, "operator": ">=" if op == "gte" else "<=", "answerInteger": arg}
            ], None
        points = [
            o.value for o in ref.options if (o.value >= arg if op == "gte" else o.value <= arg)
        ]
        return [{"question": q, "operator": "=", **answer(v)} for v in points], "any"
    return None


def _q_item(instrument: Instrument, item: Item) -> dict:
    out: dict[str, Any] = {"linkId": item.id}
    _text(out, "text", item.text)
    out["type"] = ITEM_TYPE[item.type]
    out["required"] = False  # every item may be left out or declined
    if item.type == ResponseType.MULTIPLE_CHOICE:
        out["repeats"] = True
    if item.type == ResponseType.SHORT_TEXT:
        out["maxLength"] = item.max_length
    if item.show_if is not None:
        mapped = _enable_when(instrument, item.show_if)
        if mapped is not None:
            out["enableWhen"] = mapped[0]
            if len(mapped[0]) > 1:
                out["enableBehavior"] = mapped[1] or "all"
    if item.is_choice:
        options = []
        for option in item.options:
            coding = _coding(instrument, item, option.value)
            ext = _translations(option.label)
            if ext:
                coding["_display"] = ext
            options.append({"valueCoding": coding})
        options.append({"valueCoding": dict(DECLINED_CODING)})
        out["answerOption"] = options
    if item.help:
        help_item = {"linkId": f"{item.id}.help", "type": "display"}
        _text(help_item, "text", item.help)
        out["item"] = [help_item]
    return out


def questionnaire(instrument: Instrument) -> dict:
    """The instrument version as a FHIR R4 Questionnaire."""
    q: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{fhir_id(instrument.id)}-v{instrument.version}",
        "language": "en",
        "url": questionnaire_url(instrument),
        "version": str(instrument.version),
        "name": "".join(part.capitalize() for part in instrument.id.split("_")),
    }
    _text(q, "title", instrument.title)
    q["status"] = "active"
    q["subjectType"] = ["Patient"]
    description = (instrument.description or {}).get("en", "")
    if instrument.citation:
        description = f"{description}\n\nSource: {instrument.citation}".strip()
    if description:
        q["description"] = description
    if instrument.licence:
        q["copyright"] = instrument.licence
    q["code"] = [
        {
            "system": vs.SDOHCC_TEMPORARY,
            "code": instrument.sdoh_category,
        }
    ]
    items = []
    for section in instrument.sections:
        group: dict[str, Any] = {"linkId": section.id}
        _text(group, "text", section.title)
        group["type"] = "group"
        group["item"] = [_q_item(instrument, i) for i in section.items]
        items.append(group)
    q["item"] = items
    return q


# --- QuestionnaireResponse -----------------------------------------------------------------------


def _answers(instrument: Instrument, item: Item, stored: StoredAnswer, language: str) -> list[dict]:
    value = stored.value
    if item.type == ResponseType.MULTIPLE_CHOICE:
        return [{"valueCoding": _coding(instrument, item, v, language)} for v in value]
    if item.is_choice:
        return [{"valueCoding": _coding(instrument, item, value, language)}]
    if item.type == ResponseType.NUMBER:
        return [{"valueInteger": int(value)}]
    if item.type == ResponseType.DATE:
        return [{"valueDate": str(value)}]
    return [{"valueString": str(value)}]


def patient_reference(session: Session) -> dict:
    return {"reference": f"Patient/{session.person_id}"}


def questionnaire_response(
    session: Session, answers: dict[str, StoredAnswer], *, readable: set[str] | None = None
) -> dict:
    """The session as a QuestionnaireResponse: only the items given in ``answers`` that are
    ``readable`` (a partner's consented sections); free text only if it was unsealed into it."""
    instrument = session.instrument
    groups = []
    for section in instrument.sections:
        rows = []
        for item in section.items:
            stored = answers.get(item.id)
            if stored is None or (readable is not None and item.id not in readable):
                continue
            row: dict[str, Any] = {
                "linkId": item.id,
                "text": item.text.get(session.language) or item.text["en"],
            }
            if stored.declined:
                if item.is_choice:
                    row["answer"] = [{"valueCoding": dict(DECLINED_CODING)}]
                else:
                    row["extension"] = [
                        {"url": vs.DATA_ABSENT_REASON_EXT, "valueCode": "asked-declined"}
                    ]
            elif stored.value is None:  # sealed text this reader did not unseal
                continue
            else:
                row["answer"] = _answers(instrument, item, stored, session.language)
            rows.append(row)
        if rows:
            groups.append(
                {
                    "linkId": section.id,
                    "text": section.title.get(session.language) or section.title["en"],
                    "item": rows,
                }
            )
    authored = session.completed_at or session.updated_at
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(session.pk),
        "language": session.language,
        "questionnaire": f"{questionnaire_url(instrument)}|{instrument.version}",
        "status": QR_STATUS[session.status],
        "subject": patient_reference(session),
        "authored": authored.isoformat(),
    }
    if session.mode == "self":
        qr["source"] = patient_reference(session)
    if groups:
        qr["item"] = groups
    return qr


# --- Observations (scores) -----------------------------------------------------------------------


def score_observation(session: Session, score: Score, rule: ScoreRule) -> dict:
    """One score as an Observation derived from the session's QuestionnaireResponse."""
    instrument = session.instrument
    label = rule.label.get("en", rule.id)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(score.pk),
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": vs.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                ]
            },
            {"coding": [{"system": vs.US_CORE_CATEGORY, "code": "sdoh", "display": "SDOH"}]},
            {"coding": [{"system": vs.SDOHCC_TEMPORARY, "code": instrument.sdoh_category}]},
        ],
        "code": {
            "coding": [{"system": vs.ASSESSMENT_SCORE, "code": rule.id, "display": label}],
            "text": label,
        },
        "subject": patient_reference(session),
        "effectiveDateTime": session.conducted_on.isoformat(),
    }
    if session.completed_at:
        obs["issued"] = session.completed_at.isoformat()
    if score.value is None:
        reason = "asked-declined" if score.declined and not score.answered else "unknown"
        obs["dataAbsentReason"] = {"coding": [{"system": vs.DATA_ABSENT_REASON, "code": reason}]}
    else:
        obs["valueQuantity"] = {
            "value": score.value,
            "unit": "score",
            "system": vs.UCUM,
            "code": "{score}",
        }
        band = next((b for b in rule.bands if score.value <= b["max"] + 1e-9), None)
        if band:
            obs["interpretation"] = [{"text": band["label"]["en"]}]
    obs["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{session.pk}"}]
    obs["component"] = [
        {
            "code": {"coding": [{"system": vs.ASSESSMENT_COUNT, "code": code}]},
            "valueInteger": value,
        }
        for code, value in (
            ("items-answered", score.answered),
            ("items-declined", score.declined),
            ("items-unanswered", score.missing),
        )
    ]
    return obs


def session_bundle(
    session: Session,
    answers: dict[str, StoredAnswer],
    *,
    readable: set[str] | None = None,
    include_scores: bool = True,
) -> dict:
    """A collection Bundle: the QuestionnaireResponse and its score Observations."""
    entries = [questionnaire_response(session, answers, readable=readable)]
    if include_scores:
        instrument = session.instrument
        for score in session.scores.all():
            rule = instrument.score_rule(score.score_id)
            if rule is None:
                continue
            if readable is not None and not set(rule.items) <= readable:
                continue
            entries.append(score_observation(session, score, rule))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{e['id']}", "resource": e} for e in entries],
    }


def value_sets() -> list[vs.ValueSet]:
    """One answer value set per instrument (every option of every shipped version) + scores
    (``AssessmentsConfig.fhir_value_sets``: declared to ``interop.valuesets``)."""
    answers: dict[str, set[str]] = {}
    scores: set[str] = set()
    for inst in registry().values():
        codes = answers.setdefault(inst.id, set())
        for item in inst.all_items():
            codes.update(str(o.value) for o in item.options)
        scores.update(s.id for s in inst.scores)
    sets = [
        vs.value_set(f"answers-{i.replace('_', '-')}", vs.instrument_answers_system(i), c)
        for i, c in sorted(answers.items())
    ]
    sets.append(vs.value_set("assessment-score", vs.ASSESSMENT_SCORE, scores))
    return sets
