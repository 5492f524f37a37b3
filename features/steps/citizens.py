"""What the citizen features share (learning citizens, and learning units counting their members): a citizen's
self-assessment, evidence files, the commune's decision."""
from engine.dossiers.attachments import Upload
from features.steps.common import decision

CITIZEN = "learning_citizen_recognition"
# Enough of each format for the content check; the files are never rendered.
CONTENTS = {".pdf": b"%PDF-1.4\n% minh chung\n", ".png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16, ".exe": b"MZ\x90\0"}


def upload(name: str) -> Upload:
    return Upload(name, CONTENTS[name[name.rindex("."):]])


def self_assessment(full_name: str, id_number: str, points: str) -> dict:
    values = {f"indicator_{i}": int(p) for i, p in enumerate(points.split(), 1)}
    return {"full_name": full_name, "id_number": id_number, "birth_year": 1990, **values}


def commune_decides(story, word, number):
    story.complete(story.officials.commune, {**decision(word), "decision_number": number,
                                             "decision_date": "2026-11-19", "signer": "Phạm Thị Dung",
                                             "signer_office": "Chủ tịch UBND phường Hoàn Kiếm"})
    assert story.refusal is None, story.refusal
