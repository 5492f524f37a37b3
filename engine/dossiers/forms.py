"""Task forms are JSON Schema files deployed with the diagrams: describe their fields, check submissions."""
import json
import math
from dataclasses import dataclass

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from engine.errors import InvalidInput


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # string | number | date | choice | list | files (ids of attachments)
    options: tuple[tuple[str, str], ...] = ()
    item_fields: tuple["Field", ...] = ()


def load_schema(name: str, text: str) -> dict:
    """Parse and check a form schema; the ValueError says what is wrong with it."""
    try:
        schema = json.loads(text)
        Draft202012Validator.check_schema(schema)
    except json.JSONDecodeError as error:
        raise ValueError(f"JSON sai ở dòng {error.lineno}: {error.msg}") from None
    except SchemaError as error:
        raise ValueError(f"JSON Schema sai: {error.message}") from None
    if schema.get("type") != "object":
        raise ValueError("biểu mẫu phải là một object có các trường trong 'properties'")
    return schema


def fields_of(schema: dict) -> tuple[Field, ...]:
    """The form's fields in order, as a page or an API client needs them."""
    return tuple(_field(name, spec) for name, spec in schema.get("properties", {}).items())


def _field(name: str, spec: dict) -> Field:
    label = spec.get("title", name)
    if "oneOf" in spec:
        options = tuple((choice["const"], choice.get("title", choice["const"])) for choice in spec["oneOf"])
        return Field(name, label, "choice", options)
    if spec.get("format") == "attachments":
        return Field(name, label, "files")
    if spec.get("type") == "array":
        return Field(name, label, "list", item_fields=fields_of(spec.get("items", {})))
    if spec.get("format") == "date":
        return Field(name, label, "date")
    return Field(name, label, "number" if spec.get("type") in ("number", "integer") else "string")


class Form:
    """A loaded form: its schema, its fields, and a validator built once."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.title = schema.get("title", "")
        self.fields = fields_of(schema)
        # What a refusal names each field by: its label (a list's columns by theirs).
        self.labels = {sub.name: sub.label for field in self.fields for sub in field.item_fields}
        self.labels.update({field.name: field.label for field in self.fields})
        self._validator = Draft202012Validator(schema, format_checker=FormatChecker())

    def validate(self, values: dict) -> dict:
        """The submitted values if they satisfy the schema, else InvalidInput with one message per field."""
        # NaN and infinity compare false with every bound, so the schema alone would let them through.
        errors: dict[str, str] = {path: "Phải là một số hữu hạn." for path in _non_finite(values)}
        for error in sorted(self._validator.iter_errors(values), key=lambda e: list(e.absolute_path)):
            for field, message in _explain(error):
                errors.setdefault(field, message)
        if errors:
            raise InvalidInput(errors, self.labels)
        return values


# The annotation marking a form's field as a citizen's personal data: kept in the dossier's data, never in its audit.
PERSONAL = "x-personal"


def without_personal(schema: dict, values: dict) -> dict:
    """`values` with each field the schema marks personal (also inside a list's items) replaced by a reference to
    where the dossier's data keeps it, e.g. {"personal": "candidates.3.name"}."""
    return _without_personal({"properties": schema.get("properties", {})}, values, "")


def _without_personal(spec: dict, value, path: str):
    if spec.get(PERSONAL):
        return {"personal": path}
    if isinstance(value, dict):
        properties = spec.get("properties", {})
        return {key: _without_personal(properties.get(key, {}), item, f"{path}.{key}" if path else key)
                for key, item in value.items()}
    if isinstance(value, list) and isinstance(spec.get("items"), dict):
        return [_without_personal(spec["items"], item, f"{path}.{index}") for index, item in enumerate(value)]
    return value


EMPTY = Form({"type": "object", "properties": {}, "additionalProperties": False})
# Unknown fields named in an error; the others are counted (a program may send thousands).
MAX_LISTED = 5


def unknown_fields(names: list[str], message: str, rest: str) -> dict[str, str]:
    """The error of each of the first MAX_LISTED unknown fields, and one under `rest` counting the others."""
    errors = {name: message for name in names[:MAX_LISTED]}
    if len(names) > MAX_LISTED:
        errors[rest] = f"Và {len(names) - MAX_LISTED} trường khác không dùng ở đây."
    return errors


def _path(error, extra=None) -> str:
    parts = [str(p) for p in error.absolute_path] + ([extra] if extra else [])
    return ".".join(parts) or "form"


def _explain(error):
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        return [(_path(error, name), "Bắt buộc nhập.") for name in expected if name not in error.instance]
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return list(unknown_fields([_path(error, name) for name in extra], "Trường này không có trong biểu mẫu.",
                                   _path(error)).items())
    messages = {
        "type": lambda: {"number": "Phải là một số.", "string": "Phải là chữ.", "array": "Phải là một danh sách.",
                         "object": "Phải là một bản ghi.", "integer": "Phải là số nguyên."}.get(expected, "Sai kiểu."),
        "minimum": lambda: f"Không được nhỏ hơn {expected}.",
        "maximum": lambda: f"Không được lớn hơn {expected}.",
        "minItems": lambda: f"Cần ít nhất {expected} dòng.",
        "maxItems": lambda: f"Tối đa {expected} dòng.",
        "minLength": lambda: "Không được để trống.",
        "maxLength": lambda: f"Tối đa {expected} ký tự.",
        "pattern": lambda: "Không được để trống.",
        "format": lambda: "Ngày không hợp lệ, nhập theo dạng YYYY-MM-DD." if expected == "date" else "Sai định dạng.",
        "oneOf": lambda: "Phải là một trong: " + ", ".join(str(c.get("const")) for c in expected) + ".",
        "enum": lambda: "Phải là một trong: " + ", ".join(map(str, expected)) + ".",
        "const": lambda: f"Phải là {expected}.",
    }
    return [(_path(error), messages.get(kind, lambda: error.message)())]


def _non_finite(value, path=""):
    if isinstance(value, float) and not math.isfinite(value):
        yield path or "form"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{path}.{index}")
