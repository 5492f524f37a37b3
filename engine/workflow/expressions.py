"""Diagram expressions are Python that SpiffWorkflow evals: only a small, side-effect-free subset passes."""
import ast
from functools import lru_cache

# Calls a diagram may make; everything else (imports, open, getattr, eval, ...) is refused.
HELPERS = {
    "len": len, "min": min, "max": max, "sum": sum, "abs": abs, "round": round,
    "int": int, "float": float, "str": str, "bool": bool, "sorted": sorted, "any": any, "all": all,
}
SAFE_BUILTINS = {"True": True, "False": False, "None": None, **HELPERS}

_ALLOWED_NODES = (
    ast.Expression, ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.IfExp, ast.Pass,
    ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.Attribute, ast.Subscript, ast.Slice,
    ast.List, ast.Tuple, ast.Dict, ast.Call, ast.keyword,
)


# Large literals are how an expression exhausts memory ("x" * 10**9): keep literals small.
MAX_NUMBER = 10**9
MAX_TEXT = 10_000


class UnsafeExpression(ValueError):
    """The expression uses something outside the allow-list; the message says what."""


@lru_cache(maxsize=4096)
def check(source: str, mode: str = "eval") -> None:
    """Refuse an expression (mode 'eval') or script (mode 'exec') outside the allow-list."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        raise UnsafeExpression(f"cú pháp sai ở dòng {error.lineno}: {error.msg}") from None
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
        if isinstance(node, ast.Constant) and _too_large(node.value):
            raise UnsafeExpression(f"hằng số quá lớn (tối đa {MAX_NUMBER} hoặc {MAX_TEXT} ký tự)")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and any(
                isinstance(side, (ast.List, ast.Tuple)) or (isinstance(side, ast.Constant) and isinstance(
                    side.value, (str, bytes))) for side in (node.left, node.right)):
            raise UnsafeExpression("không được nhân chuỗi hoặc danh sách")


def _too_large(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) > MAX_NUMBER
    return isinstance(value, (str, bytes)) and len(value) > MAX_TEXT


@lru_cache(maxsize=4096)
def compiled(source: str, mode: str = "eval"):
    """The checked expression or script, compiled once: diagrams evaluate the same few texts millions of times."""
    check(source, mode)
    return compile(source, "<diagram>", mode)


@lru_cache(maxsize=4096)
def parses(source: str) -> bool:
    """Whether the text is a Python expression at all (DMN cells such as '>= 70' are not)."""
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True
