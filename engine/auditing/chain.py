"""The hash chain's encoding: each audit row's hash covers its content and the hash of its dossier's row before it.
The encoding is part of the stored data: changing it would break every chain already written (migration 0014 uses
it too), so it is fixed here once."""
import hashlib
import json
from datetime import UTC, datetime

# The previous hash of a chain's first row (and of a province's first anchor).
GENESIS = "0" * 64
# What a row's hash covers, besides the previous hash. Not the row's id: it is known only once the row is inserted,
# and the order a chain runs in is already fixed by each row naming its predecessor's hash.
ROW_CONTENT = ("dossier_id", "at", "username", "role", "unit_code", "action", "task_id", "step", "payload")


def as_stored(payload: dict) -> dict:
    """The payload as the database will give it back (JSON's own types, string keys), so that a hash computed
    before the insert holds after reading the row back on either database."""
    return json.loads(json.dumps(payload))


def row_hash(row, previous_hash: str) -> str:
    """SHA-256 of a row's content (an ORM row, a Core row or anything with ROW_CONTENT attributes) and its link."""
    content = {name: getattr(row, name) for name in ROW_CONTENT}
    content["at"] = moment(content["at"])
    return _digest({**content, "previous_hash": previous_hash})


def anchor_hash(province_code: str, day: str, heads: dict, previous_hash: str) -> str:
    """SHA-256 of a daily anchor: the province, the day (ISO), the heads of its chains that day, and its link."""
    return _digest({"province_code": province_code, "day": day, "heads": heads, "previous_hash": previous_hash})


def moment(at: datetime) -> str:
    """A fixed datetime format: UTC, microseconds (what both databases keep), a Z."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(content: dict) -> str:
    # ASCII escapes keep the bytes hashed independent of how Vietnamese text is stored; the text itself is hashed
    # as given (NFC and NFD spellings differ, as they do in the database).
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()
