"""The bounded evaluator of diagram expressions and scripts: simpleeval with the task data as names, the helpers as
its only functions and no methods, whose operators and helpers refuse a result past the limits before building it.

Sizes count a value as stored, printed or compared: a text's characters, a list's items and a large number's digits,
each as often as it appears (a list holding one long list 1,000 times counts it 1,000 times), so that parts shared
by reference cannot multiply unseen."""
import ast
import builtins
from itertools import chain

import simpleeval

# Calls a diagram may make; everything else (imports, open, getattr, eval, methods, ...) is refused.
HELPERS = frozenset({"len", "min", "max", "sum", "abs", "round", "int", "float", "str", "bool", "sorted", "any", "all"})
# What one evaluation may build: one text, list or tuple (a long reason or a list of candidates fits well under it),
# everything it builds or stores together, and the digits of a number.
MAX_LENGTH = 100_000
MAX_BUILT = 1_000_000
MAX_DIGITS = 1_000
_MAX_BITS = 3_322  # 1,000 decimal digits
_CONTAINERS = (list, tuple, dict, set, frozenset)
_SEQUENCES = (str, bytes, list, tuple)


class UnsafeExpression(ValueError):
    """The expression uses something outside the allow-list; the message says what."""


class TooLarge(UnsafeExpression):
    """Evaluating would build more than the limits allow: refused before it is built."""


class Evaluator(simpleeval.EvalWithCompoundTypes):
    """One evaluation: what can grow (+, *, % and ** on text, lists and numbers, str, sum, sorted, round, slices,
    literals, a script's assignments) is charged before it is built, and refused past MAX_LENGTH or MAX_BUILT."""

    def __init__(self, names):
        super().__init__(names=names)
        self.again(names)
        self.functions = {**{name: getattr(builtins, name) for name in HELPERS - {"str", "sum", "sorted", "round"}},
                          "str": self._str, "sum": self._sum, "sorted": self._sorted, "round": _round}
        self.operators = {**{kind: simpleeval.DEFAULT_OPERATORS[kind] for kind in _PLAIN_OPERATORS},
                          ast.Add: self._add, ast.Mult: self._multiply, ast.Mod: self._modulo, ast.Pow: _power}
        for kind in _NOT_EVALUATED:
            self.nodes.pop(kind, None)

    def again(self, names) -> "Evaluator":
        """This evaluator cleared for another evaluation with `names` (building one costs more than most
        evaluations)."""
        self.names, self.built, self._sizes, self._walked = names, 0, {}, {}
        return self

    def evaluate(self, source: str, tree: ast.Expression | None = None):
        """The value of an expression; simpleeval's refusals become UnsafeExpression, its missing name a NameError."""
        return self._translated(self.eval, source, (tree or ast.parse(source, mode="eval")).body)

    def run(self, source: str, tree: ast.Module, context: dict) -> None:
        """Run a script's statements (assignments, if, pass), assigning into `context`."""
        self.expr = source
        for statement in tree.body:
            self._translated(self._statement, statement, context)

    def _translated(self, action, *args):
        try:
            return action(*args)
        except simpleeval.NameNotDefined as error:
            raise NameError(f"name '{error.name}' is not defined") from None
        except simpleeval.AttributeDoesNotExist as error:
            raise AttributeError(error.message) from None
        except simpleeval.InvalidExpression as error:
            raise UnsafeExpression(str(error)) from None

    def _statement(self, node: ast.stmt, context: dict) -> None:
        if isinstance(node, ast.If):
            for statement in node.body if self._eval(node.test) else node.orelse:
                self._statement(statement, context)
        elif isinstance(node, ast.Assign):
            value = self._eval(node.value)
            for target in node.targets:
                self._assign(target, value, context)
        elif isinstance(node, ast.AugAssign):
            operator = self.operators[type(node.op)]
            self._assign(node.target, operator(self._eval(node.target), self._eval(node.value)), context)
        elif isinstance(node, ast.Expr):
            self._eval(node.value)
        elif not isinstance(node, ast.Pass):
            raise UnsafeExpression(f"không được dùng '{type(node).__name__}' trong biểu thức")

    def _assign(self, target: ast.expr, value, context: dict) -> None:
        # What a script stores is kept in the task data and its saved state, once per place it is stored.
        if isinstance(target, (ast.Tuple, ast.List)):
            if not hasattr(value, "__len__") or len(value) != len(target.elts):
                raise ValueError(f"cần đúng {len(target.elts)} giá trị để gán")
            for part, each in zip(target.elts, value):
                self._assign(part, each, context)
            return
        self._charge(self._size(value))
        if isinstance(target, ast.Name):
            context[target.id] = value
        elif isinstance(target, ast.Subscript):
            self._eval(target.value)[self._eval(target.slice)] = value
            self._sizes.clear()  # the container, and any holding it, has changed size
        else:
            raise UnsafeExpression("chỉ được gán cho một tên, một phần tử hoặc một bộ tên")

    def _charge(self, size: int) -> None:
        """Refuse a result of `size` before it is built, or the evaluation once all it built passes MAX_BUILT."""
        _within(size)
        self.built += size
        if self.built > MAX_BUILT:
            raise TooLarge(f"các kết quả của biểu thức cộng lại quá lớn: hơn {MAX_BUILT:,} ký tự hoặc phần tử")

    def _size(self, value) -> int:
        """Characters, items and large numbers' digits of `value`, each part counted as often as it appears; past
        MAX_LENGTH, where it stopped counting. Kept for the evaluation, with the value (so that its id is not
        reused)."""
        if isinstance(value, (str, bytes)):
            return len(value)
        if isinstance(value, int) and value.bit_length() > 64:
            return value.bit_length() // 3  # its digits, give or take
        if not isinstance(value, _CONTAINERS):
            return 0
        if id(value) not in self._sizes:
            self._sizes[id(value)] = (value, MAX_LENGTH + 1)  # a container inside itself never ends
            total = len(value)
            for part in chain.from_iterable(value.items()) if isinstance(value, dict) else value:
                if total > MAX_LENGTH:
                    break
                total += self._size(part)
            self._sizes[id(value)] = (value, total)
        return self._sizes[id(value)][1]

    def _add(self, left, right):
        if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            self._charge(self._size(left) + self._size(right))
        return left + right

    def _multiply(self, left, right):
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, _SEQUENCES) and isinstance(times, int):
                self._charge(self._size(sequence) * max(times, 0))
        if isinstance(left, int) and isinstance(right, int):
            _check_bits(left.bit_length() + right.bit_length())
        return left * right

    def _modulo(self, left, right):
        if isinstance(left, (str, bytes)):
            self._charge(_formatted_size(left, right))
        return left % right

    def _str(self, value=""):
        self._charge(_printed_size(value))
        return str(value)

    def _sum(self, values, start=0):
        if isinstance(start, (list, tuple)):
            self._charge(self._size(start) + sum(self._size(each) for each in values))
        return sum(values, start)

    def _sorted(self, values, *, key=None, reverse=False):
        self._charge(self._size(values))
        return sorted(values, key=key, reverse=reverse)

    def _eval_subscript(self, node):
        container, key = self._eval(node.value), self._eval(node.slice)
        if isinstance(key, slice) and hasattr(container, "__len__"):
            _within(len(range(*key.indices(len(container)))))
            return self._charged(container[key])
        return container[key]

    def _eval_attribute(self, node):
        value = super()._eval_attribute(node)
        # A method handed to a helper (sorted(xs, key='a'.ljust)) would run unbounded.
        if callable(value):
            raise UnsafeExpression(f"không được dùng phương thức '.{node.attr}'")
        return value

    def _eval_list(self, node):
        return self._charged(super()._eval_list(node))

    def _eval_tuple(self, node):
        return self._charged(super()._eval_tuple(node))

    def _eval_dict(self, node):
        return self._charged(super()._eval_dict(node))

    def _charged(self, value):
        # Built already, but no larger than the expression's text or a value that exists: charged for what follows.
        self._charge(self._size(value))
        return value

    def _check_disallowed_items(self, item):
        # simpleeval walks every container each time it is a result: a list holding one long list 100,000 times
        # would be walked 100,000 times over. Walk each once an evaluation (kept, so that an id is not reused).
        if isinstance(item, _CONTAINERS):
            if id(item) in self._walked:
                return
            self._walked[id(item)] = item
        super()._check_disallowed_items(item)


_PLAIN_OPERATORS = (ast.Sub, ast.Div, ast.FloorDiv, ast.Eq, ast.NotEq, ast.Gt, ast.Lt, ast.GtE, ast.LtE, ast.Not,
                    ast.USub, ast.UAdd, ast.In, ast.NotIn, ast.Is, ast.IsNot)
# What the allow-list refuses, taken out of simpleeval too (its f-strings format unbounded: f'{0:0999999999}').
_NOT_EVALUATED = (ast.Assign, ast.AugAssign, ast.Import, ast.Set, ast.ListComp, ast.GeneratorExp, ast.DictComp,
                  ast.JoinedStr, ast.FormattedValue)


def _within(size: int) -> None:
    if size > MAX_LENGTH:
        raise TooLarge(f"kết quả quá lớn: {size:,} ký tự hoặc phần tử (tối đa {MAX_LENGTH:,})")


def _power(base, exponent):
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        _check_bits((abs(base).bit_length() - 1) * exponent)
    return base ** exponent


def _round(number, ndigits=None):
    # round(5, -10**9) computes 10**(10**9): no memory, but it never ends.
    if isinstance(ndigits, int) and abs(ndigits) > MAX_DIGITS:
        raise TooLarge(f"làm tròn tới {ndigits:,} chữ số: quá lớn (tối đa {MAX_DIGITS:,})")
    return round(number, ndigits)


def _check_bits(bits: int) -> None:
    if bits > _MAX_BITS:
        raise TooLarge(f"số quá lớn: khoảng {bits * 3 // 10:,} chữ số (tối đa {MAX_DIGITS:,})")


def _printed_size(value, nested: bool = False) -> int:
    """An upper bound on len(str(value)) (len(repr(value)) when `nested`), counted no further than past
    MAX_LENGTH."""
    total, pending = 0, [(value, nested)]
    while pending and total <= MAX_LENGTH:
        item, quoted = pending.pop()
        if isinstance(item, str):
            total += _quoted_size(item) if quoted else len(item)
        elif isinstance(item, bytes):
            total += 4 * len(item) + 3
        elif isinstance(item, _CONTAINERS):
            total += 3 + 4 * len(item)
            if total <= MAX_LENGTH:
                pending.extend((part, True) for part in (chain.from_iterable(item.items())
                                                         if isinstance(item, dict) else item))
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, float):
            total += 32
        else:
            total += len(repr(item))
    return total


def _quoted_size(text: str) -> int:
    """An upper bound on len(repr(text)): its quotes, an escaped backslash or quote, ten characters a non-printable
    one (counted only under MAX_LENGTH)."""
    if len(text) > MAX_LENGTH:
        return len(text)
    unprintable = 0 if text.isprintable() else sum(1 for c in text if not c.isprintable())
    return len(text) + 2 + text.count("\\") + text.count("'") + 9 * unprintable


# The most a conversion adds beyond its width, precision and the value as printed ('%f' % 1e308: 316 characters).
_CONVERSION_TEXT = 330


def _formatted_size(text: str | bytes, args) -> int:
    """An upper bound on len(text % args), read from the format's directives before Python pads anything: each
    width and precision counts in full ('%0999999999d'), a '*' one as the value it takes, and each value as printed."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    positional = iter(args if isinstance(args, tuple) else (args,))
    size, at = len(text), text.find("%")
    while at != -1 and size <= MAX_LENGTH:
        width, precision, key, conversion, end = _directive(text, at + 1, positional)
        size += width + precision
        if conversion != "%":
            value = _looked_up(args, key) if key is not None else next(positional, None)
            printed = _printed_size(value, nested=conversion in ("r", "a")) * (10 if conversion == "a" else 1)
            size += _CONVERSION_TEXT + printed
        at = text.find("%", end)
    return size


def _directive(text: str, at: int, positional) -> tuple[int, int, str | None, str, int]:
    """(width, precision, mapping key, conversion, end) of the directive whose '%' is just before `at`, read as
    CPython reads it (a key's parentheses nest)."""
    key = None
    if text.startswith("(", at):
        depth, start = 1, at + 1
        at = start
        while at < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[at], 0)
            at += 1
        key = text[start:at - 1]
    while at < len(text) and text[at] in "-+ #0":
        at += 1
    width, at = _amount(text, at, positional)
    precision = 0
    if text.startswith(".", at):
        precision, at = _amount(text, at + 1, positional)
    if at < len(text) and text[at] in "hlL":
        at += 1
    return width, precision, key, text[at:at + 1], at + 1


def _amount(text: str, at: int, positional) -> tuple[int, int]:
    """A width or precision: its digits, or the next value for '*'; and where it ends."""
    if text.startswith("*", at):
        value = next(positional, 0)
        return (abs(value) if isinstance(value, int) else 0), at + 1
    end = at
    while end < len(text) and text[end] in "0123456789":
        end += 1
    digits = end - at
    return (int(text[at:end]) if digits < 10 else 10 ** 10) if digits else 0, end


def _looked_up(args, key: str):
    try:
        return args[key]
    except Exception:  # noqa: BLE001 - Python raises its own error at this directive, having padded nothing yet
        return None
