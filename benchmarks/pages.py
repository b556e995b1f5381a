"""Reading the trainee's pages as a browser without JavaScript does, and a trainee who uses
them: shared by the locust users (benchmarks/locustfile.py) and the fault and scale-out tests.

Every acknowledged action goes to a harness.Ledger: a start form answered with the attempt's
page, a quiz whose result page came back, a typed turn the page shows back.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICE = re.compile(r'<input type="(radio|checkbox)" name="(q\d+)" value="([^"]+)"')
FILL = re.compile(r'<input type="text" id="q\d+" name="(q\d+)"')
ORDER = re.compile(r'<select name="((q\d+)-[^"]+)"')
QUESTION = re.compile(r'<fieldset class="card question"')
RESULT = re.compile(r"答对 (\d+)/(\d+) 题")
MODULE_LINK = re.compile(r'href="/me/modules/([a-z0-9_-]+)"')
ROLEPLAY_START = re.compile(r'action="/me/roleplay/([^"/]+)/start"')
TURN_FORM = re.compile(r'action="(/me/roleplay/attempts/(\d+)/turns/(\d+))"')
# The page a start form sends the trainee to: /me/quiz/12, /me/roleplay/attempts/12,
# /practice/attempts/12 (never /login?next=..., where a number would be somebody's guess).
ATTEMPT_PAGE = re.compile(r"/(?:me|practice)/(?:[a-z]+/)*(\d+)")
HOME_MARK = "我的培训"
# What a trainee types at a pump: answers of varying quality, all plain text.
TYPED = (
    "您好,欢迎光临,请问加多少气?",
    "您好,请您熄火,拉好手刹,下车到安全区域等候。",
    "对不起,让您久等了,我马上为您处理。",
    "请您稍等,我去请站长过来。",
    "好的,一共三十五元,请问您怎么付款?",
    "您好,请出示您的气瓶使用登记证。",
)


def csrf_token(html: str) -> str | None:
    match = CSRF.search(html or "")
    return match.group(1) if match else None


def attempt_id(location: str | None) -> int | None:
    """The attempt a start form's redirect names (…/quiz/12, …/attempts/12), else None."""
    match = ATTEMPT_PAGE.fullmatch(urlsplit(location or "").path)
    return int(match.group(1)) if match else None


def quiz_answers(html: str, rng: random.Random | None = None) -> tuple[int, list[tuple[str, str]]]:
    """(questions on the quiz page, form fields answering them - some right, some wrong)."""
    rng = rng or random.Random()
    fields: list[tuple[str, str]] = []
    choices: dict[str, tuple[str, list[str]]] = {}
    for kind, name, value in CHOICE.findall(html):
        choices.setdefault(name, (kind, []))[1].append(value)
    for name, (kind, values) in choices.items():
        if kind == "radio":
            fields.append((name, rng.choice(values)))
        else:
            fields += [(name, v) for v in rng.sample(values, rng.randint(1, len(values)))]
    fields += [(name, rng.choice(["3", "5", "安全", "熄火", "加气证"])) for name in FILL.findall(html)]
    steps: dict[str, list[str]] = {}
    for name, question in ORDER.findall(html):
        steps.setdefault(question, []).append(name)
    for names in steps.values():
        numbers = list(range(1, len(names) + 1))
        rng.shuffle(numbers)
        fields += [(name, str(n)) for name, n in zip(names, numbers, strict=True)]
    return len(QUESTION.findall(html)), fields


def result_matches(html: str, questions: int) -> bool:
    """Whether a quiz result page scored all the questions the quiz page showed."""
    match = RESULT.search(html or "")
    return bool(match) and int(match.group(2)) == questions


class Trainee:
    """One trainee on his own account, through the pages, with `requests` (no JavaScript).

    Connection errors propagate (the caller decides what a dead server means); an answer that
    is not the expected one returns None and records nothing.
    """

    def __init__(self, base_url: str, employee_no: str, password: str, ledger=None,
                 timeout: float = 15, rng: random.Random | None = None) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self.employee_no = employee_no
        self.password = password
        self.ledger = ledger
        self.timeout = timeout
        self.rng = rng or random.Random()
        self.session = requests.Session()
        self.csrf = ""
        self.modules: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def get(self, path: str, **kwargs):
        return self.session.get(self.url(path), timeout=self.timeout, **kwargs)

    def post(self, path: str, fields: list[tuple[str, str]] | dict, **kwargs):
        """POST a form with the session's CSRF token; redirects are not followed (a 302 is the
        server's acknowledgement)."""
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        return self.session.post(self.url(path), data=[("csrf_token", self.csrf), *items],
                                 allow_redirects=False, timeout=self.timeout, **kwargs)

    def _record(self, kind: str, **data) -> None:
        if self.ledger is not None:
            self.ledger.add(kind, user=self.employee_no, **data)

    def login(self, password: str | None = None):
        """Sign in; returns the POST's answer (302 on success)."""
        self.csrf = csrf_token(self.get("/login").text) or ""
        answer = self.post("/login", {"employee_no": self.employee_no,
                                      "password": password or self.password})
        if answer.status_code == 302 and password is None:
            home = self.get("/me")
            self.modules = sorted(set(MODULE_LINK.findall(home.text)))
        return answer

    def start(self, path: str, what: str, key: str | None = None) -> int | None:
        """Send a start form; the attempt id the server answered with (recorded)."""
        key = key or secrets.token_hex(16)
        answer = self.post(path, {"submit_key": key})
        found = attempt_id(answer.headers.get("Location")) if answer.status_code == 302 else None
        if found is not None:
            self._record("start", key=key, attempt=found, what=what)
        return found

    def practice_quiz(self, module: str | None = None) -> int | None:
        """Start a practice quiz, autosave half of it, submit it; the attempt id once its
        result page came back."""
        module = module or self.rng.choice(self.modules)
        attempt = self.start(f"/me/modules/{module}/quiz", "quiz")
        return self.answer_quiz(attempt) if attempt is not None else None

    def answer_quiz(self, attempt: int) -> int | None:
        page = self.get(f"/me/quiz/{attempt}")
        if page.status_code != 200 or "交卷" not in page.text:
            return None
        questions, fields = quiz_answers(page.text, self.rng)
        self.session.post(self.url(f"/me/quiz/{attempt}/save"), data=fields[: len(fields) // 2],
                          headers={"X-CSRFToken": self.csrf}, timeout=self.timeout)
        if self.post(f"/me/quiz/{attempt}", fields).status_code != 302:
            return None
        if result_matches(self.get(f"/me/quiz/{attempt}").text, questions):
            self._record("submitted", attempt=attempt, questions=questions)
            return attempt
        return None

    def roleplay_turn(self, choose: Callable[[list[str]], str] | None = None) -> int | None:
        """Start a role-play and type the first turn; the attempt id once the page shows the
        answer back."""
        dialogues = ROLEPLAY_START.findall(self.get("/me/roleplay").text)
        if not dialogues:
            return None
        dialogue = (choose or self.rng.choice)(dialogues)
        attempt = self.start(f"/me/roleplay/{dialogue}/start", "roleplay")
        if attempt is None:
            return None
        turn = TURN_FORM.search(self.get(f"/me/roleplay/attempts/{attempt}").text)
        if turn is None:
            return None
        text = self.rng.choice(TYPED)
        if self.post(turn.group(1), {"text": text}).status_code != 302:
            return None
        if text in self.get(f"/me/roleplay/attempts/{attempt}").text:
            self._record("turn", attempt=attempt, position=int(turn.group(3)), text=text)
            return attempt
        return None
