"""Diagram expressions and scripts are Python that SpiffWorkflow would eval: a small, side-effect-free subset passes
the deploy check, and the bounded evaluator runs it (a second wall: what a form's values make too large)."""
import ast
import threading
from collections import ChainMap
from contextlib import contextmanager
from functools import lru_cache

from engine.workflow.evaluator import HELPERS, Evaluator, TooLarge, UnsafeExpression


_ALLOWED_NODES = (
    ast.Expression, ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.IfExp, ast.Pass,
    ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.Attribute, ast.Subscript, ast.Slice,
    ast.List, ast.Tuple, ast.Dict, ast.Call, ast.keyword,
)

# Large literals are how an expression exhausts memory ("x" * 10**9): keep literals small.
MAX_NUMBER = 10**9
MAX_TEXT = 10_000
# An expression's text, and how deeply its parts nest: parsing and evaluating both grow with them (the evaluator
# recurses once a level; a 200 KB expression takes 100 MB to parse).
MAX_SOURCE = 10_000
MAX_DEPTH = 100
# Methods of the values a diagram handles: never called (a call names a helper), nor handed to a helper
# (sorted(xs, key='a'.ljust) pads each x to its value).
_METHODS = frozenset(name for kind in (str, bytes, int, float, list, tuple, dict) for name in dir(kind)
                     if not name.startswith("_") and callable(getattr(kind, name)))


def check(source: str, mode: str = "eval") -> None:
    """Refuse an expression (mode 'eval') or script (mode 'exec') outside the allow-list, or one whose literal parts
    alone build too much (`str(0) * 30000 * 50000`)."""
    parsed(source, mode)


@lru_cache(maxsize=4096)
def parsed(source: str, mode: str = "eval") -> ast.AST:
    """The checked expression or script, parsed once: diagrams evaluate the same few texts millions of times."""
    if len(source) > MAX_SOURCE:
        raise UnsafeExpression(f"biểu thức dài quá: {len(source):,} ký tự (tối đa {MAX_SOURCE:,})")
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        raise UnsafeExpression(f"cú pháp sai ở dòng {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise UnsafeExpression(f"biểu thức lồng quá sâu (tối đa {MAX_DEPTH} tầng)") from None
    nodes = list(ast.walk(tree))
    # The most telling reason first: reaching for internals, then a construct, then a call.
    for node in nodes:
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise UnsafeExpression(f"không được dùng tên bắt đầu bằng '_' ({node.id})")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise UnsafeExpression(f"không được truy cập thuộc tính '{node.attr}'")
    for node in nodes:
        if not isinstance(node, _ALLOWED_NODES):
            raise UnsafeExpression(f"không được dùng '{type(node).__name__}' trong biểu thức")
    for node in nodes:
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in HELPERS):
            raise UnsafeExpression("chỉ được gọi các hàm: " + ", ".join(sorted(HELPERS)))
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr in _METHODS:
            raise UnsafeExpression(f"không được dùng phương thức '.{node.attr}'")
        if isinstance(node, ast.Constant) and _too_large(node.value):
            raise UnsafeExpression(f"hằng số quá lớn (tối đa {MAX_NUMBER} hoặc {MAX_TEXT} ký tự)")
    if _depth(tree) > MAX_DEPTH:
        raise UnsafeExpression(f"biểu thức lồng quá sâu (tối đa {MAX_DEPTH} tầng)")
    with _evaluator({}) as evaluator:
        _fold(tree, evaluator)
    return tree


def _too_large(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) > MAX_NUMBER
    return isinstance(value, (str, bytes)) and len(value) > MAX_TEXT


def _depth(tree: ast.AST) -> int:
    deepest, pending = 0, [(tree, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


_UNKNOWN = object()


def _fold(node: ast.AST, evaluator: Evaluator):
    """The value of `node` when literals alone decide it, else _UNKNOWN. Every part is folded, branches and
    short-circuits included, so that a literal part too large to build is refused at deploy (TooLarge)."""
    folded = {child: _fold(child, evaluator) for child in ast.iter_child_nodes(node)}
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.keyword):
        return folded[node.value] if node.arg else _UNKNOWN
    parts, build = _folding(node, evaluator)
    values = [folded[part] for part in parts]
    if build is None or any(value is _UNKNOWN for value in values):
        return _UNKNOWN
    try:
        return build(*values)
    except TooLarge:
        raise
    except Exception:  # noqa: BLE001 - a wrong type or a division by zero shows at run time, with the data
        return _UNKNOWN


def _folding(node: ast.AST, evaluator: Evaluator):
    """The parts a node is built from and how the evaluator builds it, or ((), None) for a node literals never
    decide (a name, a comparison, a subscript)."""
    if isinstance(node, ast.BinOp):
        return (node.left, node.right), evaluator.operators[type(node.op)]
    if isinstance(node, ast.UnaryOp):
        return (node.operand,), evaluator.operators[type(node.op)]
    if isinstance(node, ast.List):
        return node.elts, lambda *items: list(items)
    if isinstance(node, ast.Tuple):
        return node.elts, lambda *items: items
    if isinstance(node, ast.Call):
        helper, count, names = evaluator.functions[node.func.id], len(node.args), [k.arg for k in node.keywords]
        return (*node.args, *node.keywords), lambda *values: helper(*values[:count], **dict(zip(names, values[count:])))
    return (), None


@lru_cache(maxsize=4096)
def parses(source: str) -> bool:
    """Whether the text is a Python expression at all (DMN cells such as '>= 70' are not)."""
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def evaluate(source: str, names: dict):
    """The value of a checked expression with `names` (a task's data), built within the limits."""
    tree = parsed(source, "eval")
    with _evaluator(names) as evaluator:
        return evaluator.evaluate(source, tree)


def execute(source: str, context: dict, external: dict) -> None:
    """Run a checked script: it reads `context` (a task's data) then `external`, and assigns into `context`."""
    tree = parsed(source, "exec")
    with _evaluator(ChainMap(context, external)) as evaluator:
        evaluator.run(source, tree, context)


_THREAD = threading.local()


@contextmanager
def _evaluator(names):
    # One evaluator a thread, cleared for each evaluation: building one costs more than most evaluations, and
    # simpleeval builds it under warnings.catch_warnings, which threads must not enter at once.
    if not hasattr(_THREAD, "evaluator"):
        _THREAD.evaluator = Evaluator({})
    try:
        yield _THREAD.evaluator.again(names)
    finally:
        _THREAD.evaluator.again({})  # let go of the task's data
