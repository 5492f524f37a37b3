"""JSON sent to the API, read within limits: a body's size before any of it is parsed, then its nesting and its keys
before a use case sees it (a body of millions of keys, or nested thousands deep, costs the server, not the sender)."""
import json

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from engine.errors import InvalidInput

MAX_BYTES = 1_000_000  # a JSON body; files go as multipart, up to the app's MAX_CONTENT_LENGTH
MAX_DEPTH = 20  # a form's values nest 3 deep (a list of records)
MAX_KEYS = 20_000  # a list of 5,000 candidates holds 10,000
MAX_DIGITS = 20  # an id or a count: nothing here is larger than a BIGINT
TOO_LARGE = f"Nội dung JSON tối đa {MAX_BYTES // 1_000_000} MB (tệp gửi dạng multipart)."


def body() -> dict:
    """The request's JSON object; past MAX_BYTES a 413, read no further than the limit even when the length is not
    sent (chunked)."""
    if not request.is_json:
        raise InvalidInput({"body": "Nội dung phải là một đối tượng JSON."})
    if (request.content_length or 0) > MAX_BYTES:
        raise RequestEntityTooLarge(TOO_LARGE)
    raw = request.stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise RequestEntityTooLarge(TOO_LARGE)
    return parsed(raw, "body", "Nội dung phải là một đối tượng JSON.")


def parsed(raw: str | bytes, part: str, not_an_object: str) -> dict:
    """`raw` as a JSON object within MAX_DEPTH and MAX_KEYS, else InvalidInput under `part` naming the limit."""
    try:
        value = json.loads(raw, parse_int=lambda digits: _integer(digits, part))
    except RecursionError:  # deeper than the parser's own stack: far past MAX_DEPTH
        raise InvalidInput({part: f"JSON lồng quá {MAX_DEPTH} tầng."}) from None
    except UnicodeDecodeError:
        raise InvalidInput({part: "JSON phải được mã hoá UTF-8."}) from None
    except ValueError:  # not JSON
        value = None
    if not isinstance(value, dict):
        raise InvalidInput({part: not_an_object})
    _check_shape(value, part)
    return value


def _integer(digits: str, part: str) -> int:
    """An integer of the body, refused past MAX_DIGITS before Python converts it (its cost grows with the square)."""
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise InvalidInput({part: f"Số nguyên trong JSON dài quá {MAX_DIGITS} chữ số."})
    return int(digits)


def _check_shape(value: dict, part: str) -> None:
    """Walk the value without recursion, counting its depth and its keys."""
    keys, waiting = 0, [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, dict):
            keys, children = keys + len(item), item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput({part: f"JSON lồng quá {MAX_DEPTH} tầng."})
        if keys > MAX_KEYS:
            raise InvalidInput({part: f"JSON có hơn {MAX_KEYS} khoá."})
        waiting.extend((child, depth + 1) for child in children)
