"""Where a request's time goes: pyinstrument samples the stack; each sample's time is charged to the innermost layer
its stack passes through (SQL run inside the token check counts as SQL), and SQLAlchemy's events count the
statements and commits."""
from collections import Counter
from collections.abc import Callable

from pyinstrument import Profiler
from sqlalchemy import event

# (layer, what a frame's file path contains): for each sample, the innermost frame that matches names its layer.
LAYERS = (
    ("SQL: driver and database", ("/psycopg/", "/sqlalchemy/engine/", "/sqlalchemy/pool/", "sqlite3")),
    ("SQLAlchemy ORM (building and loading rows)", ("/sqlalchemy/",)),
    ("SpiffWorkflow: state restored and saved", ("/SpiffWorkflow/bpmn/serializer/", "engine/workflow/serializing")),
    ("SpiffWorkflow: running the process", ("/SpiffWorkflow/", "/simpleeval")),
    ("form checks (jsonschema)", ("/jsonschema/", "/referencing/", "engine/dossiers/forms", "submission_checks")),
    ("auth (token or session)", ("web/programs", "engine/organisation/tokens", "/flask_login/",
                                 "engine/organisation/accounts")),
    ("JSON in and out", ("/json/", "web/json_bodies")),
    ("HTTP and routing (Werkzeug, Flask, extensions)", ("/werkzeug/", "/flask/", "/flask_", "/jinja2/")),
    ("the engine's own code", ("/engine/",)),
    ("the web layer's own code", ("/web/",)),
)
OTHER = "other"


def profile(run: Callable[[], int], engine) -> tuple[dict[str, float], Counter, int]:
    """Run `run()` (which returns how many completions it made) under the profiler: seconds per layer, statements
    and commits counted on `engine`, and the completions."""
    counts = Counter()

    def on_statement(*_args):
        counts["statements"] += 1

    def on_commit(*_args):
        counts["commits"] += 1

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        completions = run()
    finally:
        profiler.stop()
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
    seconds = Counter()
    _charge(profiler.last_session.root_frame(), OTHER, seconds)
    return dict(seconds), counts, completions


def _charge(frame, layer: str, seconds: Counter) -> None:
    """Give each frame's own time to the innermost layer on its path (iteratively: stacks are deep)."""
    waiting = [(frame, layer)]
    while waiting:
        frame, layer = waiting.pop()
        layer = _layer_of(frame.file_path or "") or layer
        own = frame.total_self_time
        if own:
            seconds[layer] += own
        waiting.extend((child, layer) for child in frame.children)


def _layer_of(path: str) -> str | None:
    return next((name for name, marks in LAYERS if any(mark in path for mark in marks)), None)


def print_profile(title: str, seconds: dict[str, float], counts: Counter, completions: int) -> None:
    """A table: milliseconds per completion and share of each layer, then statements and commits per completion."""
    total = sum(seconds.values())
    print(f"\n{title}: {total / completions * 1000:.1f} ms of one thread per completion under the profiler, which "
          f"slows it: read the shares ({completions} completions profiled)")
    for name, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:<48} {spent / completions * 1000:>6.2f} ms  {spent / total:>5.0%}")
    print(f"  SQL statements per completion: {counts['statements'] / completions:.1f}; "
          f"commits per completion: {counts['commits'] / completions:.2f}")
