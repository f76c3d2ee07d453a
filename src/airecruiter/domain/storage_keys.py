"""Storage keys: where an application's artifacts live, and the rules every key must obey.

Keys are `/`-separated relative paths. They end up as S3 object names and as paths under the
local storage root, so a key may never climb out of its prefix: no `..`, no absolute paths, no
backslashes, no control characters, no empty or hidden (dot-leading) segments.
"""

from __future__ import annotations

import re
import unicodedata

from airecruiter.errors import ValidationError

MAX_KEY_LENGTH = 1024  # S3's limit on an object name, in UTF-8 bytes
MAX_FILENAME_LENGTH = 120
FALLBACK_FILENAME = "file"

# Letters and digits of any script, plus a few punctuation marks that are safe in URLs and paths.
_UNSAFE_RUN = re.compile(r"[^\w.\-]+")
_DOT_RUN = re.compile(r"\.{2,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def sanitize_filename(filename: str) -> str:
    """A safe single path segment made from an uploaded file's name; keeps its extension."""
    # Browsers and Workday may send a full client path; only its last component is a name.
    name = re.split(r"[\\/]", filename)[-1]
    name = unicodedata.normalize("NFC", name)
    name = _CONTROL.sub("", name)
    name = _UNSAFE_RUN.sub("_", name.strip())
    name = _DOT_RUN.sub(".", name).strip("_-").rstrip(".")
    if name.startswith("."):
        # ".resume.pdf" loses its hiding dot; a bare extension (".pdf") gets a stem instead.
        name = name[1:] if "." in name[1:] else FALLBACK_FILENAME + name
    name = name or FALLBACK_FILENAME
    if len(name) > MAX_FILENAME_LENGTH:
        match = _EXTENSION.search(name)
        extension = match.group(0) if match else ""
        name = name[: MAX_FILENAME_LENGTH - len(extension)].rstrip("._-") + extension
    return name


def _application_segment(application_id: int) -> str:
    # bool is an int subclass; a True id is a bug upstream, not application 1.
    if isinstance(application_id, bool) or not isinstance(application_id, int) or application_id < 1:
        raise ValidationError(f"An application id must be a positive integer, not {application_id!r}.")
    return str(application_id)


def resume_key(application_id: int, filename: str) -> str:
    """`applications/{id}/resume/{filename}` with the filename made safe."""
    return f"applications/{_application_segment(application_id)}/resume/{sanitize_filename(filename)}"


def report_key(application_id: int, name: str) -> str:
    """`applications/{id}/reports/{name}.pdf` with the name made safe."""
    stem = sanitize_filename(name)
    if stem.lower().endswith(".pdf"):
        stem = stem[:-4].rstrip("._-") or FALLBACK_FILENAME
    return f"applications/{_application_segment(application_id)}/reports/{stem}.pdf"


def check_key(key: str) -> str:
    """The key itself when it is a safe relative storage key; ValidationError otherwise."""
    if not isinstance(key, str) or not key:
        raise ValidationError("A storage key must be a non-empty string.")
    if len(key.encode("utf-8")) > MAX_KEY_LENGTH:
        raise ValidationError(f"A storage key may be at most {MAX_KEY_LENGTH} bytes long.")
    if _CONTROL.search(key) or "\\" in key:
        raise ValidationError(f"The storage key {key!r} contains a control character or a backslash.")
    if key.startswith("/"):
        raise ValidationError(f"The storage key {key!r} is absolute; keys are relative paths.")
    for segment in key.split("/"):
        if not segment or segment.startswith("."):
            raise ValidationError(
                f"The storage key {key!r} has an empty, '.', '..' or hidden segment; it could escape its folder."
            )
    return key
