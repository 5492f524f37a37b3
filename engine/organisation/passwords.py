"""Passwords: the policy a new one must meet, and hashing with the standard library's scrypt."""
import hashlib
import hmac
import secrets

from zxcvbn.frequency_lists import FREQUENCY_LISTS

_N, _R, _P = 2**14, 8, 1
MIN_LENGTH = 10
MAX_LENGTH = 256  # scrypt takes any length; a bound keeps a hostile one from costing more than a normal one
# The 30,000 passwords most found in leaks (zxcvbn's list): the first ones an attacker tries.
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str) -> str | None:
    """What makes `password` unfit for the account `username`, or None."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"Mật khẩu phải có từ {MIN_LENGTH} đến {MAX_LENGTH} ký tự."
    folded = password.casefold()
    name = username.casefold()
    # A name of a letter or two is inside many good passwords; from 4 on, it is the password's guessable part.
    if name and (folded == name or len(name) >= 4 and name in folded):
        return "Mật khẩu không được chứa tên đăng nhập."
    if folded in _COMMON or folded.rstrip("0123456789!.") in _COMMON:
        return "Mật khẩu này nằm trong danh sách mật khẩu hay bị dò nhất; hãy chọn mật khẩu khác."
    return None


def secret_hash(secret: str) -> str:
    """The stored form of a random secret (a session's, a token's): a fast hash suffices for 256 random bits, unlike
    a password, and a leaked table opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate.hex(), digest)
