"""Hostile inputs, one table sent over HTTP as the officials and programs who may send them: each is answered with a
4xx naming the problem, within a memory bound, storing nothing, and without hanging.

Bad inputs tried (the tables below are the list):
- .xlsx imported into a branch's list: a zip bomb (a sheet inflating to 2 GB from a 5 MB file, its checksum true),
  3,000 parts, a zip (itself a bomb) as the sheet, a truncated zip, a sheet that is not XML, billion laughs in the sheet
  and in the shared strings, an external entity (XXE) reading /etc/passwd in the shared strings, a 1,000,000-character
  cell, 1,000,000 rows, a .csv and a Windows executable named .xlsx, 55 MB named .xlsx;
- JSON to the API: nested 100,000 deep, 2,000,000 keys (and 60,000 in under 1 MB), 50 MB with Content-Length and
  chunked without it, invalid UTF-8, an integer and a decimal of 100,000 digits, a 10 MB string in a field (of the
  JSON body, of a multipart `values` part, of a page's form);
- evidence files (the API's multipart and the task page): 70 MB (past MAX_CONTENT_LENGTH), 11 MB and 55 MB (past the
  10 MB a file), an executable named .pdf, HTML sent as application/pdf, an executable named ../../etc/passwd, with
  NUL bytes in its name, with a 5,000-character name; and real evidence under those names, kept with a clean name;
- diagrams deployed through /engine-rest (a deploy token) and the designers' page: billion laughs, XXE reading
  /etc/passwd, a 50 MB file, a zip bomb (as .zip and named .bpmn), a call activity calling its own process, two
  processes calling each other, a script calling `__import__('os').system(...)`, an expression building a 1.5 GB
  string, a gateway looping back with no step or timer in the loop, a script repeated until a condition with no
  maximum, a timer cycle of R/PT0S.

How it is measured: the request's body is encoded before measuring; then, around the request only, tracemalloc's peak
(what Python, zlib and expat allocate) and the growth of the process' peak resident memory (VmHWM, reset through
/proc/self/clear_refs: also what C libraries such as libxml2 allocate, and tracemalloc's own bookkeeping, so it
overstates), both under MEMORY_BOUND; a request still running after HANG seconds fails its case. `pytest -s` prints
the figures as one table at the end. "Nothing stored": the row count of every table (files are rows too) and every
dossier's and task's state, before and after."""
import html
import json
import re
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from engine.dossiers import starting
from engine.organisation import tokens
from engine.storage.tables import Base
from tests.support import BPMN
from tests.support.builders import PROCESS, SHEET_XML, csrf_token, only_task, snapshot, xlsx_file, xlsx_with_part
from tests.support.diagrams import line_of

MB = 1_000_000
# What one hostile request may cost the server, by either measure.
MEMORY_BOUND = 64 * MB
# Not a speed limit: a request still running after this long is taken for a hang (and left running in its thread).
HANG = 120
FIXTURES = Path(__file__).parents[1] / "fixtures"
CITIZEN = "learning_citizen_recognition"
ASSESSMENT = {"full_name": "Phạm Văn Minh", "id_number": "001090012345", **{f"indicator_{i}": 8 for i in range(1, 11)}}
PDF = b"%PDF-1.4\n% minh chung\n"
PASSWD = "root:x:0:0"  # the start of /etc/passwd: an answer holding it has read the file


@dataclass(frozen=True)
class Sent:
    """A request prepared before it is measured, its body already encoded."""
    url: str
    body: bytes
    content_type: str
    headers: dict = field(default_factory=dict)
    chunked: bool = False  # sent without Content-Length, as a server taking chunked bodies hands it on


@dataclass(frozen=True)
class Case:
    """A hostile input: how to send it (given the desk), the status and what the answer must say."""
    send: Callable[["Desk"], Sent]
    status: int
    says: str | tuple[str, ...]


class Desk:
    """Where hostile inputs are sent from: the test client, signed in (or holding a token) as each sender needs."""

    def __init__(self, client, api, officials, new_uow, login_as):
        self.client, self.api, self.officials, self.new_uow, self.login_as = client, api, officials, new_uow, login_as

    def page_token(self, who, page: str) -> str:
        """Sign in as `who` and read the CSRF token of `page`."""
        self.login_as(who)
        return csrf_token(self.client.get(page).get_data(as_text=True))

    def open_task(self, process: str) -> str:
        """The branch's first task on a new dossier of `process`."""
        data = {"year": 2026, **({"title": "family"} if process == PROCESS else {})}
        return only_task(starting.start_dossier(process, self.officials.branch, data, self.new_uow())).id

    def deploy_token(self) -> dict:
        secret = tokens.create_token(self.officials.designer, "Camunda Modeler", ["deploy"], 30, self.new_uow()).secret
        return {"Authorization": f"Bearer {secret}"}


def multipart(url: str, fields: dict, headers: dict | None = None) -> Sent:
    boundary, body = encode_multipart(fields)
    return Sent(url, body, f"multipart/form-data; boundary={boundary}", headers or {})


def a_file(content: bytes, name: str, media_type: str = "application/octet-stream") -> FileStorage:
    return FileStorage(BytesIO(content), filename=name, content_type=media_type)


# Where each kind of input goes.

def list_import(content: Callable[[], bytes]) -> Callable[[Desk], Sent]:
    """The branch fills its candidate list from a file (the task page's import)."""
    def send(desk: Desk) -> Sent:
        task_id = desk.open_task(PROCESS)
        token = desk.page_token(desk.officials.branch, f"/tasks/{task_id}")
        return multipart(f"/tasks/{task_id}/import", {"csrf_token": token, "file": a_file(content(), "ds.xlsx")})
    return send


def api_body(raw: Callable[[], bytes], chunked: bool = False) -> Callable[[Desk], Sent]:
    """A program opens a dossier with this JSON body."""
    return lambda desk: Sent("/api/dossiers", raw(), "application/json", desk.api.headers(desk.officials.branch),
                             chunked)


def api_values(values: Callable[[], str]) -> Callable[[Desk], Sent]:
    """A program completes the citizen's registration as multipart, with this `values` part."""
    def send(desk: Desk) -> Sent:
        task_id = desk.open_task(CITIZEN)
        return multipart(f"/api/tasks/{task_id}/complete", {"values": values()},
                         desk.api.headers(desk.officials.branch))
    return send


def api_evidence(content: Callable[[], bytes], name: str,
                 media_type: str = "application/pdf") -> Callable[[Desk], Sent]:
    """A program registers a citizen with this file as evidence."""
    def send(desk: Desk) -> Sent:
        task_id = desk.open_task(CITIZEN)
        return multipart(f"/api/tasks/{task_id}/complete",
                         {"values": json.dumps(ASSESSMENT), "evidence": a_file(content(), name, media_type)},
                         desk.api.headers(desk.officials.branch))
    return send


def page_evidence(content: Callable[[], bytes], name: str, media_type: str = "application/pdf",
                  **fields: str) -> Callable[[Desk], Sent]:
    """The branch registers a citizen on the task page with this file as evidence (and these fields)."""
    def send(desk: Desk) -> Sent:
        task_id = desk.open_task(CITIZEN)
        token = desk.page_token(desk.officials.branch, f"/tasks/{task_id}")
        values = {**{key: str(value) for key, value in ASSESSMENT.items()}, **fields}
        return multipart(f"/tasks/{task_id}", {**values, "csrf_token": token,
                                               "evidence": a_file(content(), name, media_type)})
    return send


def modeler_deploy(files: dict[str, bytes]) -> Callable[[Desk], Sent]:
    """Camunda Modeler's Deploy button, with a designer's deploy token."""
    return lambda desk: multipart("/engine-rest/deployment/create",
                                  {"deployment-name": "thu", **{n: a_file(c, n) for n, c in files.items()}},
                                  desk.deploy_token())


def page_deploy(files: dict[str, bytes]) -> Callable[[Desk], Sent]:
    """The designers' page, signed in as the designer."""
    def send(desk: Desk) -> Sent:
        token = desk.page_token(desk.officials.designer, "/deployments")
        return multipart("/deployments", {"csrf_token": token, "files": [a_file(c, n) for n, c in files.items()]})
    return send


# .xlsx files built to hurt the reader.

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
ROW = b'<row><c t="n"><v>0</v></c></row>'
LIST = (["Tên (chủ hộ, dòng họ, thôn)", "Điểm đánh giá"], ["Hộ A", 80])


def zip_bomb(part: str, unpacked: int) -> bytes:
    """A list whose `part` inflates to `unpacked` bytes of one repeated row, from about a thousandth of that: the
    deflated megabyte is made once and repeated (each ends in a full flush, so it stands alone), stored as it is, and
    the part's headers then say deflated, with the true size and checksum."""
    chunk = ROW * (MB // len(ROW))
    count = unpacked // len(chunk)
    head, tail = SHEET_XML, b"</sheetData></worksheet>"
    data = _deflated(head) + _deflated(chunk) * count + _deflated(tail, last=True)
    checksum = zlib.crc32(head)
    for _ in range(count):
        checksum = zlib.crc32(chunk, checksum)
    content = bytearray(with_part(xlsx_file(*LIST), part, data))
    _declare(content, part, crc=zlib.crc32(tail, checksum), size=len(head) + len(chunk) * count + len(tail))
    return bytes(content)


def _deflated(data: bytes, last: bool = False) -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return deflate.compress(data) + deflate.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def with_part(source: bytes, part: str, data: bytes) -> bytes:
    """The file with `part` holding `data`, stored as it is."""
    out = BytesIO()
    with ZipFile(BytesIO(source)) as original, ZipFile(out, "w") as archive:
        for name in original.namelist():
            archive.writestr(name, data if name == part else original.read(name))
    return out.getvalue()


def _declare(content: bytearray, part: str, crc: int, size: int) -> None:
    """Say the part is deflated, with this checksum and unpacked size, in its local header and the central directory."""
    local = ZipFile(BytesIO(bytes(content))).getinfo(part).header_offset
    central = content.find(b"PK\x01\x02")
    while content[central + 46:central + 46 + len(part)] != part.encode():
        central = content.find(b"PK\x01\x02", central + 4)
    for header, method_at in ((local, 8), (central, 10)):
        struct.pack_into("<H", content, header + method_at, 8)
        struct.pack_into("<I", content, header + method_at + 6, crc)
        struct.pack_into("<I", content, header + method_at + 14, size)


def with_extra(parts: dict[str, bytes]) -> bytes:
    """A one-row list with these parts added."""
    out = BytesIO(xlsx_file(*LIST))
    with ZipFile(out, "a") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def laughs(root: str) -> bytes:
    """A DOCTYPE whose entity &l9; expands to 10**9 "lol"s."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY l0 "lol">{entities}]>\n'.encode()


XXE = b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>%s</t></si></sst>'


def long_cell(characters: int) -> list[bytes]:
    text = "".join(str(i) for i in range(characters))[:characters]
    return [SHEET_XML, f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode(),
            b"</sheetData></worksheet>"]


XLSX = {
    "zip bomb: a sheet inflating to 2 GB": (lambda: zip_bomb(SHEET, 2000 * MB), "nén hơn 100 lần"),
    "3,000 parts": (lambda: with_extra({f"customXml/item{i}.xml": b"<a/>" for i in range(3000)}), "hơn 1000 phần"),
    "a zip (a bomb itself) as the sheet": (lambda: with_part(xlsx_file(*LIST), SHEET, zip_bomb(SHEET, 200 * MB)),
                                           f"Phần {SHEET} không phải XML hợp lệ"),
    "a truncated zip": (lambda: xlsx_file(*LIST)[:-100], "hãy chọn một tệp Excel .xlsx"),
    "a sheet that is not XML": (lambda: xlsx_with_part(SHEET, [b"\x89PNG not xml"]),
                                f"Phần {SHEET} không phải XML hợp lệ"),
    "billion laughs in the sheet": (lambda: xlsx_with_part(SHEET, [laughs("worksheet"), SHEET_XML,
                                                                  b"<row><c><v>&l9;</v></c></row></sheetData>"
                                                                  b"</worksheet>"]), "có khai báo DOCTYPE"),
    "billion laughs in the shared strings": (lambda: with_extra({STRINGS: laughs("sst") + SST % b"&l9;"}),
                                             f"Phần {STRINGS} có khai báo DOCTYPE"),
    "XXE reading /etc/passwd in the shared strings": (lambda: with_extra({STRINGS: XXE + SST % b"&xxe;"}),
                                                      f"Phần {STRINGS} có khai báo DOCTYPE"),
    "a cell of 1,000,000 characters": (lambda: xlsx_with_part(SHEET, long_cell(1_000_000)), "có một ô hơn 32767 ký tự"),
    "1,000,000 rows": (lambda: xlsx_with_part(SHEET, [SHEET_XML, ROW * 1_000_000, b"</sheetData></worksheet>"]),
                       "nén hơn 100 lần"),
    "a .csv named .xlsx": (lambda: b"name,score\nA,1\n", "hãy chọn một tệp Excel .xlsx"),
    "an executable named .xlsx": (lambda: b"MZ\x90\x00" + bytes(4000), "hãy chọn một tệp Excel .xlsx"),
    "55 MB named .xlsx": (lambda: b"PK\x03\x04" + bytes(55 * MB), "Tệp lớn hơn 5 MB"),
}
SPREADSHEETS = {name: Case(list_import(build), 422, says) for name, (build, says) in XLSX.items()}


# JSON and form fields built to hurt the parser.

def start_body(data: str) -> bytes:
    return f'{{"process": "{PROCESS}", "data": {data}}}'.encode()


TOO_LARGE = "Nội dung JSON tối đa 1 MB"
NOT_AN_OBJECT = "Nội dung phải là một đối tượng JSON."
DIGITS = "1" * 100_000
FIFTY_MB = 50 * MB
JSON_BODIES = {
    "nested 100,000 deep": Case(api_body(lambda: start_body('{"year": ' + "[" * 100_000 + "]" * 100_000 + "}")),
                                422, "JSON lồng quá 20 tầng."),
    "2,000,000 keys": Case(api_body(lambda: start_body(json.dumps({f"k{i}": 0 for i in range(2_000_000)}))),
                           413, TOO_LARGE),
    "60,000 keys in under 1 MB": Case(api_body(lambda: start_body(json.dumps({f"k{i}": 0 for i in range(60_000)}))),
                                      422, "JSON có hơn 20000 khoá."),
    "50 MB with Content-Length": Case(api_body(lambda: start_body(json.dumps({"name": "x" * FIFTY_MB}))),
                                      413, TOO_LARGE),
    "50 MB chunked, no Content-Length": Case(api_body(lambda: start_body(json.dumps({"name": "x" * FIFTY_MB})),
                                                      chunked=True), 413, TOO_LARGE),
    "invalid UTF-8": Case(api_body(lambda: start_body('{"name": "NAME"}').replace(b"NAME", b"\xff\xfe")),
                          422, "UTF-8"),
    "an integer of 100,000 digits": Case(api_body(lambda: start_body(f'{{"year": {DIGITS}}}')), 422, "20 chữ số"),
    "a decimal of 100,000 digits": Case(api_body(lambda: start_body(f'{{"year": {DIGITS}.5}}')), 422, "year"),
    "a 10 MB string in a JSON field": Case(api_body(lambda: start_body(json.dumps({"name": "x" * 10 * MB}))),
                                           413, TOO_LARGE),
    "a 10 MB string in the multipart values part": Case(
        api_values(lambda: json.dumps({**ASSESSMENT, "full_name": "x" * 10 * MB})), 413, "500 KB"),
    "a 10 MB string in a page's form field": Case(page_evidence(lambda: PDF, "a.pdf", full_name="x" * 10 * MB),
                                                  413, "500 KB"),
}


# Files sent as evidence.

MZ = b"MZ\x90\x00\x03" + bytes(200)
NOT_EVIDENCE = "chỉ nhận PDF, ảnh JPEG/PNG, Word .docx hoặc Excel .xlsx"
UPLOADS = {
    "70 MB, past MAX_CONTENT_LENGTH (API)": Case(api_evidence(lambda: PDF + bytes(70 * MB), "lon.pdf"), 413,
                                                 "60 MB"),
    "70 MB, past MAX_CONTENT_LENGTH (page)": Case(page_evidence(lambda: PDF + bytes(70 * MB), "lon.pdf"), 413,
                                                  "60 MB"),
    "11 MB, past the file limit (API)": Case(api_evidence(lambda: PDF + bytes(11 * MB), "lon.pdf"), 422,
                                             "Tệp “lon.pdf” lớn hơn 10 MB."),
    "11 MB, past the file limit (page)": Case(page_evidence(lambda: PDF + bytes(11 * MB), "lon.pdf"), 422,
                                              "Tệp “lon.pdf” lớn hơn 10 MB."),
    "55 MB, past the file limit (API)": Case(api_evidence(lambda: PDF + bytes(55 * MB), "lon.pdf"), 422,
                                             "Tệp “lon.pdf” lớn hơn 10 MB."),
    "an executable named .pdf (API)": Case(api_evidence(lambda: MZ, "giay-khen.pdf"), 422, NOT_EVIDENCE),
    "an executable named .pdf (page)": Case(page_evidence(lambda: MZ, "giay-khen.pdf"), 422, NOT_EVIDENCE),
    "HTML sent as application/pdf (API)": Case(api_evidence(lambda: b"<html><script>alert(1)</script>", "a.pdf"),
                                               422, NOT_EVIDENCE),
    "an executable named ../../etc/passwd (API)": Case(api_evidence(lambda: MZ, "../../etc/passwd"), 422,
                                                       "Tệp “passwd” không nhận được"),
    "an executable named with NUL bytes (page)": Case(page_evidence(lambda: MZ, "giay\x00khen.exe\x00.pdf"), 422,
                                                      "Tệp “giaykhen.exe.pdf” không nhận được"),
    "an executable with a 5,000-character name (API)": Case(api_evidence(lambda: MZ, "a" * 4996 + ".pdf"), 422,
                                                            f"Tệp “{'a' * 196}.pdf” không nhận được"),
}


# Diagrams built to hurt the parser, the engine or the machine: each drawn into a diagram that otherwise deploys.

BASE = (FIXTURES / "camunda_only.bpmn").read_text()
FORM = {"follow_up.schema.json": (BPMN / "forms" / "follow_up.schema.json").read_bytes()}
NOTE_TO_CHECK = '<bpmn:sequenceFlow id="Flow_0a2" sourceRef="Activity_propose" targetRef="Activity_verify" />'
MARKER = Path("/tmp/hostile-diagram-ran")  # what the script would create, were it ever run


def drawn(first: str, between: str, other_process: str = "") -> str:
    """camunda_only.bpmn with `between` drawn on the flow from the branch's note (now to `first`) to the commune's
    check, and `other_process` beside the process."""
    flow = f'<bpmn:sequenceFlow id="Flow_0a2" sourceRef="Activity_propose" targetRef="{first}" />\n'
    return BASE.replace(NOTE_TO_CHECK, flow + between).replace("</bpmn:process>", "</bpmn:process>\n" + other_process)


def on_to_check(source: str) -> str:
    return f'<bpmn:sequenceFlow id="Flow_on" sourceRef="{source}" targetRef="Activity_verify" />\n'


def with_doctype(doctype: bytes, entity: str) -> str:
    body = BASE.split("\n", 1)[1].replace('name="Chỉ có thuộc tính Camunda"', f'name="{entity}"')
    return doctype.decode() + body


LAUGHING = with_doctype(laughs("bpmn:definitions"), "&l9;")
READING = with_doctype(XXE, "&xxe;")
SCRIPT = f"__import__('os').system('touch {MARKER}')"
CALLS_ITSELF = drawn("Activity_again", '<bpmn:callActivity id="Activity_again" name="Gọi lại" '
                                       'calledElement="camunda_only" />\n' + on_to_check("Activity_again"))
CALL_EACH_OTHER = drawn(
    "Activity_helper", '<bpmn:callActivity id="Activity_helper" name="Gọi quy trình phụ" calledElement="helper" />\n'
    + on_to_check("Activity_helper"),
    '<bpmn:process id="helper" isExecutable="true">\n<bpmn:startEvent id="Start_helper" />\n'
    '<bpmn:callActivity id="Activity_back" name="Gọi lại quy trình chính" calledElement="camunda_only" />\n'
    '<bpmn:endEvent id="End_helper" />\n'
    '<bpmn:sequenceFlow id="Flow_h1" sourceRef="Start_helper" targetRef="Activity_back" />\n'
    '<bpmn:sequenceFlow id="Flow_h2" sourceRef="Activity_back" targetRef="End_helper" />\n</bpmn:process>')
OS_SCRIPT = drawn("Activity_hostile", '<bpmn:scriptTask id="Activity_hostile" name="Chạy lệnh">\n'
                                      f'<bpmn:script>{SCRIPT}</bpmn:script>\n</bpmn:scriptTask>\n'
                  + on_to_check("Activity_hostile"))
HUGE_STRING = OS_SCRIPT.replace(SCRIPT, "note = str(0) * 30000 * 50000")
LOOP = drawn("Activity_count", '<bpmn:scriptTask id="Activity_count" name="Đếm">\n<bpmn:script>n = 1</bpmn:script>\n'
                               '</bpmn:scriptTask>\n<bpmn:sequenceFlow id="Flow_l1" sourceRef="Activity_count" '
                               'targetRef="Gateway_again" />\n'
                               '<bpmn:exclusiveGateway id="Gateway_again" name="Lặp lại?" default="Flow_l3" />\n'
                               '<bpmn:sequenceFlow id="Flow_l2" sourceRef="Gateway_again" targetRef="Activity_count">'
                               '<bpmn:conditionExpression>n == 1</bpmn:conditionExpression></bpmn:sequenceFlow>\n'
                               '<bpmn:sequenceFlow id="Flow_l3" sourceRef="Gateway_again" '
                               'targetRef="Activity_verify" />\n')
REPEATED = drawn("Activity_count", '<bpmn:scriptTask id="Activity_count" name="Đếm">\n'
                                   '<bpmn:standardLoopCharacteristics><bpmn:loopCondition>n == 0</bpmn:loopCondition>'
                                   '</bpmn:standardLoopCharacteristics>\n<bpmn:script>n = 1</bpmn:script>\n'
                                   '</bpmn:scriptTask>\n' + on_to_check("Activity_count"))
ENDLESS_TIMER = drawn("Event_again", '<bpmn:intermediateCatchEvent id="Event_again" name="Lặp mãi">\n'
                                     '<bpmn:timerEventDefinition id="Timer_again"><bpmn:timeCycle>"R/PT0S"'
                                     '</bpmn:timeCycle></bpmn:timerEventDefinition>\n</bpmn:intermediateCatchEvent>\n'
                      + on_to_check("Event_again"))


@dataclass(frozen=True)
class Diagram:
    """A hostile deployment and what its refusal says (where it points included)."""
    files: Callable[[], dict[str, bytes]]
    says: tuple[str, ...]


def one(name: str, content: Callable[[], bytes]) -> Callable[[], dict[str, bytes]]:
    """A deployment of one file with the form it needs."""
    return lambda: {name: content(), **FORM}


def refused_at(text: str, says: str, element: str, part: str) -> Diagram:
    """The diagram `text`, refused saying `says` at `element`, on the line holding `part`."""
    return Diagram(one("d.bpmn", text.encode), (says, f"d.bpmn, dòng {line_of(text, part)}, phần tử {element}"))


DIAGRAMS = {
    "billion laughs": Diagram(one("d.bpmn", LAUGHING.encode), (
        f"d.bpmn, dòng {line_of(LAUGHING, '&l9;')}: XML không hợp lệ: Maximum entity amplification",)),
    "XXE reading /etc/passwd": Diagram(one("d.bpmn", READING.encode), (
        f"d.bpmn, dòng {line_of(READING, '&xxe;')}: XML không hợp lệ: Attribute references external entity 'xxe'",)),
    "a 50 MB file": Diagram(one("d.bpmn", lambda: BASE.replace(
        "</bpmn:definitions>", f"<!--{' ' * 50 * MB}--></bpmn:definitions>").encode()), ("d.bpmn: tệp lớn hơn 2 MB",)),
    "a zip bomb as .zip": Diagram(one("d.zip", lambda: zip_bomb(SHEET, 200 * MB)),
                                  ("d.zip: chỉ triển khai được tệp .bpmn, .dmn, .json",)),
    "a zip bomb named .bpmn": Diagram(one("d.bpmn", lambda: zip_bomb(SHEET, 200 * MB)),
                                      ("d.bpmn, dòng 1: XML không hợp lệ",)),
    "a call activity calling its own process": refused_at(CALLS_ITSELF, "gọi lại chính nó",
                                                          "Activity_again (Gọi lại)", 'id="Activity_again"'),
    "two processes calling each other": refused_at(CALL_EACH_OTHER, "gọi lại chính nó",
                                                   "Activity_helper (Gọi quy trình phụ)", 'id="Activity_helper"'),
    "a script calling os.system": refused_at(OS_SCRIPT, "không được dùng tên bắt đầu bằng '_' (__import__)",
                                             "Activity_hostile (Chạy lệnh)", "__import__"),
    "an expression building a 1.5 GB string": refused_at(HUGE_STRING, "biểu thức bị từ chối",
                                                         "Activity_hostile (Chạy lệnh)", "note = "),
    "a gateway loop with no wait state": refused_at(LOOP, "vòng lặp", "Activity_count (Đếm)", 'id="Activity_count"'),
    "a script repeated until a condition, with no maximum": refused_at(
        REPEATED, "không có loopMaximum", "Activity_count (Đếm)", 'id="Activity_count"'),
    "a timer cycle R/PT0S": refused_at(ENDLESS_TIMER, "timeCycle", "Event_again (Lặp mãi)", 'id="Event_again"'),
}
DEPLOYMENTS = {
    **{f"{name} (engine-rest)": Case(lambda desk, d=diagram: modeler_deploy(d.files())(desk), 400, diagram.says)
       for name, diagram in DIAGRAMS.items()},
    **{f"{name} (designers' page)": Case(lambda desk, d=diagram: page_deploy(d.files())(desk), 422, diagram.says)
       for name, diagram in DIAGRAMS.items()},
}


# Measuring one request, and what it left behind.

@dataclass(frozen=True)
class Measured:
    status: int
    text: str
    traced: int  # bytes: tracemalloc's peak
    resident: int  # bytes: growth of the peak resident memory
    ms: float


def _resident_kb(field_name: str) -> int:
    return int(re.search(rf"{field_name}:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))


def measured(client, sent: Sent) -> Measured:
    """Send the request in a thread (a hang fails the test after HANG seconds), measuring the peak memory it took."""
    answer = {}

    def send():
        try:
            answer["response"] = client.open(
                sent.url, method="POST", input_stream=BytesIO(sent.body), content_type=sent.content_type,
                headers={**sent.headers, **({"Transfer-Encoding": "chunked"} if sent.chunked else {})},
                environ_overrides={"wsgi.input_terminated": True} if sent.chunked else {})
        except BaseException as error:  # handed to the test below, as raised
            answer["error"] = error
    Path("/proc/self/clear_refs").write_text("5")  # the peak resident size starts again from the current one
    before = _resident_kb("VmRSS")
    worker = threading.Thread(target=send, daemon=True)
    tracemalloc.start()
    started = time.perf_counter()
    worker.start()
    worker.join(HANG)
    elapsed = (time.perf_counter() - started) * 1000
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    resident = (_resident_kb("VmHWM") - before) * 1000
    if worker.is_alive():
        pytest.fail(f"no answer within {HANG} s: the request hangs (its thread is left running)")
    if "error" in answer:
        raise answer["error"]
    response = answer["response"]
    text = response.get_data(as_text=True)
    shown = json.dumps(response.json, ensure_ascii=False) if response.is_json else html.unescape(text)
    return Measured(response.status_code, shown, traced, resident, elapsed)


def stored(new_uow) -> dict:
    """The rows of every table, and every dossier's and task's state."""
    with new_uow() as uow:
        counts = {table.name: uow.session.scalar(select(func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables}
    return {**counts, **snapshot(new_uow)}


@pytest.fixture(scope="module")
def figures(request):
    """The measurements of a module's cases, printed as a table at its end (pytest -s shows it)."""
    rows = []
    yield rows
    print(f"\n\n{'hostile input':<72}{'status':>7}{'traced MB':>11}{'RSS MB':>8}{'ms':>8}")
    for name, result in rows:
        print(f"{name:<72}{result.status:>7}{result.traced / MB:>11.1f}{result.resident / MB:>8.1f}{result.ms:>8.0f}")
    print(f"bound: {MEMORY_BOUND / MB:.0f} MB by either measure")


@pytest.fixture
def desk(client, api, officials, new_uow, login_as):
    return Desk(client, api, officials, new_uow, login_as)


CASES = {**SPREADSHEETS, **JSON_BODIES, **UPLOADS, **DEPLOYMENTS}


@pytest.mark.parametrize("name", CASES)
def test_a_hostile_input_is_refused_naming_the_problem_within_bounds_storing_nothing(name, desk, figures):
    case = CASES[name]
    sent = case.send(desk)
    before = stored(desk.new_uow)
    result = measured(desk.client, sent)
    figures.append((name, result))
    assert result.traced < MEMORY_BOUND and result.resident < MEMORY_BOUND
    assert stored(desk.new_uow) == before
    assert PASSWD not in result.text and not MARKER.exists()
    shortfalls = [f"status {result.status}, not {case.status}"] if result.status != case.status else []
    shortfalls += [f"the answer does not say {words!r}" for words in ((case.says,) if isinstance(case.says, str)
                                                                     else case.says) if words not in result.text]
    assert not shortfalls, result.text[:2000]


@pytest.mark.parametrize(("sent_as", "kept_as"), [
    ("../../etc/passwd", "passwd.pdf"),
    ("giay\x00khen.exe\x00.pdf", "giaykhen.exe.pdf"),
    ("a" * 4996 + ".pdf", "a" * 196 + ".pdf"),
])
def test_a_hostile_file_name_on_real_evidence_is_kept_cleaned_never_as_a_path(sent_as, kept_as, desk, figures):
    """Evidence is kept whatever name the browser sends (old browsers send a whole path): the name is cleaned of
    folders and control characters and cut to 200 characters; files are rows, never written where the name says."""
    sent = api_evidence(lambda: PDF, sent_as)(desk)
    before = stored(desk.new_uow)
    result = measured(desk.client, sent)
    figures.append((f"evidence named {sent_as[:40]!r}", result))
    assert result.status == 200, result.text[:500]
    dossier = desk.api.get(f"/api/dossiers/{json.loads(result.text)['dossier_id']}", desk.officials.branch).json
    assert [a["file_name"] for a in dossier["attachments"]] == [kept_as]
    after = stored(desk.new_uow)
    assert after["attachments"] == before["attachments"] + 1
