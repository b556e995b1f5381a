"""The password rules, one-time codes and the hash used for accounts that do not exist.

Pure functions (no Flask, no database): the service layer passes in what it knows about the
person. Strength is judged by zxcvbn (dictionary words, names, keyboard walks, sequences,
repeats, dates and l33t spelling, each costed as an attacker would guess it), fed with the
person's own data and the deny-list beside this file (common Chinese passwords and the words of
this trade, which zxcvbn's English lists do not know).
"""

from __future__ import annotations

import re
import secrets
from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash
# attacks" (about 10^8 guesses and more), which suits scrypt-hashed passwords.
MIN_SCORE = 3
# zxcvbn's cost grows with the length; what matters is decided within the first characters.
ZXCVBN_PREFIX = 64
DENYLIST = Path(__file__).with_name("password_denylist.txt")
# An employee number and its look-alikes: letters then digits (KL002, A001, HT-003), once or
# repeated, with nothing else of substance (KL900KL900, kl002!, A001a001).
_EMPLOYEE_NUMBER_SHAPE = re.compile(r"(?:[a-z]{0,4}[-_]?\d{2,8})+[^a-z0-9]{0,3}")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4

TOO_SHORT = f"密码至少 {MIN_LENGTH} 位"
TOO_LONG = f"密码最多 {MAX_LENGTH} 位"
PERSONAL = "密码不能包含工号、姓名拼音或站点名称"
NUMBER_SHAPED = "密码不能由工号一类的“字母+数字”组成"
COMMON = "这是常见密码,很容易被猜到"
WEAK = ("密码太容易被猜到(常见单词或拼音、连续或重复的字符、键盘排列、日期)。"
        "请换一个更长、更不规则的密码,例如三四个不相关的词再加上数字和符号。")


@cache
def deny_words() -> tuple[str, ...]:
    lines = DENYLIST.read_text("utf-8").splitlines()
    return tuple(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def personal_words(*texts: str) -> list[str]:
    """What a person's password must not be built from: each text as typed, and Chinese in
    pinyin (李加气 -> lijiaqi, ljq)."""
    words: list[str] = []
    for text in texts:
        text = (text or "").strip().lower()
        if not text:
            continue
        words.append(text)
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            words.append("".join(lazy_pinyin(text)))
            words.append("".join(lazy_pinyin(text, style=Style.FIRST_LETTER)))
    return [w for w in dict.fromkeys(words) if w]


def problems(password: str, personal: list[str]) -> list[str]:
    """Every rule the password breaks (Chinese messages); empty when it is acceptable.

    `personal` comes from :func:`personal_words` (employee number, name, station, company)."""
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    folded = password.lower()
    compact = re.sub(r"[\s\-_.]", "", folded)
    found = []
    if any(len(w) >= 3 and (w in folded or w in compact) for w in personal):
        found.append(PERSONAL)
    if _EMPLOYEE_NUMBER_SHAPE.fullmatch(compact):
        found.append(NUMBER_SHAPED)
    if folded in deny_words() or compact in deny_words():
        found.append(COMMON)
    if not found and strength(password, personal) < MIN_SCORE:
        found.append(WEAK)
    return found


def strength(password: str, personal: list[str]) -> int:
    """zxcvbn's score from 0 (guessed at once) to 4, knowing the person and the deny-list."""
    inputs = [w for w in (*personal, *deny_words()) if len(w) >= 2]
    return int(zxcvbn(password[:ZXCVBN_PREFIX], user_inputs=inputs)["score"])


# --- one-time codes --------------------------------------------------------------------------


def new_code() -> str:
    """A one-time code to hand over: 12 characters (60 bits), grouped ABCD-EFGH-JKLM."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(raw[i:i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """What was typed, as the code was issued: case, spaces and dashes do not matter."""
    compact = re.sub(r"[\s\-_]", "", (typed or "").upper())
    return "-".join(compact[i:i + CODE_GROUP_LENGTH]
                    for i in range(0, len(compact), CODE_GROUP_LENGTH))


def hash_code(code: str) -> str:
    # 60 random bits, valid for days and tried under the sign-in throttle: a fast hash is
    # enough, and issuing codes for a whole import stays quick.
    return generate_password_hash(normalise_code(code), method="pbkdf2:sha256:10000")


def code_matches(code_hash: str, typed: str) -> bool:
    return check_password_hash(code_hash, normalise_code(typed))


def demo_password() -> str:
    """A random password of the demo's printed logins: 14 characters (about 70 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


# --- timing -----------------------------------------------------------------------------------


@cache
def dummy_hash(method: str) -> str:
    """A hash of a random secret with the method real passwords use: checking a password
    against it costs what a real check costs, so an unknown or password-less account answers
    no faster than a real one."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)
