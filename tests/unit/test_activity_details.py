"""Activity details are typed per action, and no field of any of them can hold a candidate's personal data.

The activity log is append-only and never scrubbed (DATA-LIFECYCLE): so every field of every
action's details must be an id, a code, a count, a flag, a score, a list of field names, a staff
account, or a message with the personal values removed. The allow-list below names each field
and the one type it may have; a new action with a field like `candidate_name`, `email`, `note` or
free `text` fails here until someone decides, in this list, that it is safe.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import sys
import typing
from collections.abc import Mapping

import pytest

import airecruiter.domain
from airecruiter.domain.activity_details import (
    REDACTED,
    ActivityDetails,
    RedactedText,
    ResumeStored,
    ResumeUnreadable,
    StatusChanged,
    redacted_message,
)
from airecruiter.domain.console_activity import (
    InterviewRequested,
    QueueItemSkipped,
    RequisitionSettingsChanged,
    SettingChange,
)

OptStr = str | None
OptInt = int | None
NAMES = tuple[str, ...]
ALLOWED: dict[str, object] = {
    # our own ids and positions
    "analysis_id": int,
    "evaluation_id": int,
    "interview_id": int,
    "report_id": int,
    "decision_id": int,
    "queue_item_id": OptInt,
    "now_item": OptInt,
    "requisition_id": OptInt,
    "seq": int,
    "request_id": (int, OptInt),  # a row of the request register (none for a recruiter's human review)
    "closed_interview_id": OptInt,
    "receipt_id": int,  # an erasure receipt
    "check_id": int,  # a fairness check
    "hold_id": int,  # a legal hold
    "hold_ids": tuple[int, ...],
    "application_ids": tuple[int, ...],
    # counts, sizes, versions, scores, flags
    "count": int,
    "characters": int,
    "words": int,
    "answers": int,
    "sessions": int,
    "unverified_quotes": int,
    "resume_bytes": int,
    "size_bytes": int,
    "version": int,
    "prompt_version": (int, OptInt),
    "risk_score": float,
    "overall_score": float,
    "retry_after_seconds": float,
    "reanalysis": bool,
    "includes_interview": bool,
    "already_in_workday": bool,
    "evaluate_queued": bool,
    "queued": bool,
    "attempt": int,
    "records": int,
    "files": int,
    "missing_files": int,
    "identity_rate": float,
    "offline": bool,
    "passed": bool,
    "applications": int,
    "applications_deleted": int,
    "objects_deleted": int,
    "emails_deleted": int,
    "held_back": int,
    "files_only": int,
    "erasures_resumed": int,
    "rows": int,
    "added": int,
    "replaced": int,
    "found_sent": bool,
    "created": bool,
    "reason_given": bool,
    "with_human_review": bool,
    "annotated": bool,  # whether a decision carries a note (the note itself never does)
    "report_queued": bool,
    "redacted": Mapping[str, int],  # counts by kind of value removed
    "assessed": int,  # applications in a bias audit's range (never a category's figure)
    # codes: statuses, job types, roles, providers and models, reasons, content types, times
    "from_status": (str, OptStr),
    "to_status": (str, OptStr),
    "workday_status": OptStr,
    "previous_workday_status": OptStr,
    "interview_status": str,
    "status": str,
    "was": str,
    "source": str,  # candidate | recruiter
    "job_type": str,
    "id_column": str,  # which id column an imported file used
    "until": OptStr,  # when the notice period ends (ISO date-time)
    "wording_version": OptInt,  # the candidate text version an email carried
    "notice": str,  # the advance notice's state (to_send, running, passed), never its text
    "kind": str,  # of a candidate request (human_review, accommodation, access, erasure), or of an email
    "type": str,
    "role": str,
    "provider": str,
    "model": str,
    "recommendation": str,
    "decision": str,  # advance, reject or hold
    "reason_code": str,  # one of DECISION_REASON_CODES
    "thin": OptStr,
    "reason": (str, RedactedText),  # a reason code, or a message with personal values removed
    "error": RedactedText,
    "resume_content_type": str,
    "expires_at": str,
    "start": str,  # a bias audit's date range
    "end": str,
    "format": str,  # how the audit was viewed: page, json, csv or pdf
    "input_hash": OptStr,
    "message_id": (str, OptStr),  # the mail system's id, not the address
    # names built from our ids only, and the employer's requisition
    "key": str,
    "filename": str,
    "workday_document_id": OptStr,
    "external_id": str,
    "requisition_name": str,
    # field names
    "changed": NAMES,
    "fields": NAMES,
    "reasons": NAMES,
    "changes": Mapping[str, SettingChange],
    # staff accounts (the actor of every entry is one too), never a candidate
    "username": str,
    "client": str,
}
FORBIDDEN = ("email", "phone", "note", "text", "quote", "answer", "candidate", "comment", "transcript")


def _import_every_domain_module() -> None:
    """Details may live in any domain module; import them all so discovery does not depend on test order."""
    for info in pkgutil.iter_modules(airecruiter.domain.__path__, "airecruiter.domain."):
        importlib.import_module(info.name)


def _actions() -> list[type[ActivityDetails]]:
    _import_every_domain_module()
    found: list[type[ActivityDetails]] = []
    pending = list(ActivityDetails.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # `slots=True` builds a new class; the one it replaced may linger among the subclasses.
        module = sys.modules[cls.__module__]
        if cls.ACTION and cls.__module__.startswith("airecruiter.") and vars(module).get(cls.__name__) is cls:
            found.append(cls)
    return sorted(found, key=lambda c: c.ACTION)


ACTIONS = _actions()


def test_every_module_of_details_is_enumerated() -> None:
    defined = {
        obj
        for name, module in sys.modules.items()
        if name.startswith("airecruiter.domain.")
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, ActivityDetails) and obj.ACTION
    }
    assert defined == set(ACTIONS)
    assert len(ACTIONS) >= 40


def test_each_action_has_exactly_one_class() -> None:
    actions = [cls.ACTION for cls in ACTIONS]
    assert len(actions) == len(set(actions))


@pytest.mark.parametrize("cls", ACTIONS, ids=lambda c: c.ACTION)
def test_no_field_can_hold_personal_data(cls: type[ActivityDetails]) -> None:
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        assert field.name in ALLOWED, f"{cls.ACTION}.{field.name} is not on the allow-list"
        allowed = ALLOWED[field.name]
        options = allowed if isinstance(allowed, tuple) and allowed is not NAMES else (allowed,)
        assert hints[field.name] in options, f"{cls.ACTION}.{field.name}: {hints[field.name]} is not {allowed}"
        stored_as = field.metadata.get("key", field.name)
        assert stored_as in ("from", "to", "name", "bytes") or stored_as == field.name


@pytest.mark.parametrize("cls", ACTIONS, ids=lambda c: c.ACTION)
def test_details_are_frozen(cls: type[ActivityDetails]) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert hasattr(cls, "__slots__")


def test_the_allow_list_names_nothing_personal() -> None:
    for name in ALLOWED:
        assert name != "name" and not set(name.split("_")) & set(FORBIDDEN), name


def test_details_are_stored_in_the_shape_the_console_has_always_read() -> None:
    assert StatusChanged(from_status="new", to_status="analyzed").to_json() == {"from": "new", "to": "analyzed"}
    assert ResumeStored(resume_content_type="application/pdf", resume_bytes=12).to_json() == {
        "resume_content_type": "application/pdf",
        "resume_bytes": 12,
    }
    changed = RequisitionSettingsChanged({"active": SettingChange(before=True, after=False)})
    assert changed.to_json() == {"active": {"from": True, "to": False}}
    requested = InterviewRequested(job_type="send_interview", queue_item_id=4, queued=True, status="analyzed")
    assert requested.ACTION == "interview_requested"
    assert requested.to_json() == {
        "job_type": "send_interview",
        "queue_item_id": 4,
        "queued": True,
        "status": "analyzed",
    }
    assert QueueItemSkipped(job_type="sync", reason_given=True).to_json() == {"job_type": "sync", "reason_given": True}


def test_a_message_loses_every_personal_value_it_quotes() -> None:
    message = "Jane_Doe_CV.pdf is empty; ask Jane Doe (jane@example.org) to upload it again."
    cleaned = redacted_message(message, "Jane_Doe_CV.pdf", "Jane Doe", "jane@example.org", None, "")
    assert cleaned == f"{REDACTED} is empty; ask {REDACTED} ({REDACTED}) to upload it again."
    assert ResumeUnreadable(reason=cleaned).to_json() == {"reason": cleaned}


def test_a_longer_value_is_removed_before_a_shorter_one_inside_it() -> None:
    assert redacted_message("Jane Doe's file", "Jane", "Jane Doe") == f"{REDACTED}'s file"


def test_a_value_too_short_to_identify_anyone_leaves_the_message_alone() -> None:
    assert redacted_message("a is empty; ask again.", "a", " ", "ab") == "a is empty; ask again."
