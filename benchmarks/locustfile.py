"""Simulated trainees for locust: sign in, open a module, take a quiz (practice or an open
assessment) answering it with autosave, and play a role-play typing a turn - through the real
pages with their CSRF tokens and one-time start keys, as a browser without JavaScript does.

Run it through benchmarks/run_load.py (which starts the server and checks the database
afterwards); by hand:

    LOAD_ROSTER=roster.json LOAD_LEDGER=ledger.jsonl .venv/bin/locust -f benchmarks/locustfile.py \\
        --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:5000

LOAD_ROSTER names a JSON file {"employee_nos": [...], "password": "..."}: each simulated user
takes the next account. Every acknowledged action is appended to LOAD_LEDGER (harness.Ledger):
an attempt id the server answered a start form with, a quiz whose result page came back, a
typed turn the page shows back. One start in DOUBLE_TAP is sent twice at once with the same
key, as a double tap on a phone does: both answers must name the same attempt (LOAD_DOUBLE_TAP
sets the share, default 0.1). LOAD_TIMINGS
names a file for every request's time (run_load.py computes exact percentiles from it).

LOAD_THINK scales the pauses (default 1: 0.3-1 s between the steps of a task and 1-3 s between
tasks). A person reads a question for far longer, so each simulated trainee is the load of
several real ones.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import pages  # noqa: E402
from benchmarks.harness import Ledger  # noqa: E402

THINK = float(os.environ.get("LOAD_THINK", "1"))
DOUBLE_TAP = float(os.environ.get("LOAD_DOUBLE_TAP", "0.1"))
HOME_BETWEEN_TASKS = 0.3
ROSTER = (json.loads(Path(os.environ["LOAD_ROSTER"]).read_text("utf-8"))
          if os.environ.get("LOAD_ROSTER") else {"employee_nos": ["KL002"], "password": ""})
LEDGER = Ledger(Path(os.environ.get("LOAD_LEDGER") or os.devnull))
TIMINGS = os.environ.get("LOAD_TIMINGS")
FORM = "application/x-www-form-urlencoded"
SIGNED_IN = "signed in"

_accounts = itertools.count()
# (start time, request name, ms, ok) of every request, and a SIGNED_IN mark per user.
_timings: list[tuple] = []


@events.request.add_listener
def _time_request(request_type, name, response_time, exception=None, start_time=None, **_kw):
    _timings.append((round(start_time or time.time(), 3), f"{request_type} {name}",
                     round(response_time or 0, 1), exception is None))


@events.quitting.add_listener
def _write_timings(environment, **_kw):
    if TIMINGS:
        Path(TIMINGS).write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in _timings),
                                 "utf-8")


def pause(low: float, high: float) -> None:
    gevent.sleep(random.uniform(low, high) * THINK)


class Trainee(FastHttpUser):
    """One trainee at a station, on his own account, doing what the staff journey offers."""

    wait_time = between(1 * THINK, 3 * THINK)

    def on_start(self) -> None:
        # Redirects are followed by hand: a POST's 302 is its acknowledgement, and locust's
        # per-request switch is not safe for the two requests of a double tap.
        self.client.client.redirect_response_codes = frozenset()
        self.employee_no = ROSTER["employee_nos"][next(_accounts) % len(ROSTER["employee_nos"])]
        self.csrf = ""
        self.modules: list[str] = []
        self.login()

    # --- helpers ---------------------------------------------------------------------------

    def post_form(self, url: str, fields: list[tuple[str, str]], name: str, expect: int = 302):
        """POST a form as the browser does; anything but `expect` counts as a failure."""
        body = urlencode([("csrf_token", self.csrf), *fields])
        with self.client.post(url, data=body, headers={"Content-Type": FORM}, name=name,
                              catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
                return None
            return response

    def get_page(self, url: str, name: str, must_contain: str | None = None) -> str | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return None
            if must_contain and must_contain not in response.text:
                response.failure(f"page lacks {must_contain!r}")
                return None
            return response.text

    def open_attempt(self, url: str, name: str, what: str) -> int | None:
        """Send a start form (sometimes twice at once, as a double tap does); the attempt id
        the server answered with, recorded in the ledger."""
        key = secrets.token_hex(16)
        taps = 2 if random.random() < DOUBLE_TAP else 1
        sent = [gevent.spawn(self.post_form, url, [("submit_key", key)], name)
                for _ in range(taps)]
        gevent.joinall(sent)
        ids = set()
        for greenlet in sent:
            response = greenlet.value
            found = pages.attempt_id(response.headers.get("Location")) if response else None
            if found is None:
                return None
            ids.add(found)
            LEDGER.add("start", user=self.employee_no, key=key, attempt=found, what=what)
        return ids.pop() if len(ids) == 1 else None

    # --- the journey ------------------------------------------------------------------------

    def login(self) -> None:
        page = self.get_page("/login", "/login")
        if page is None:
            return
        self.csrf = pages.csrf_token(page) or ""
        self.post_form("/login", [("employee_no", self.employee_no),
                                  ("password", ROSTER["password"])], "/login [POST]")
        home = self.get_page("/me", "/me", must_contain=pages.HOME_MARK)
        if home:
            self.modules = sorted(set(pages.MODULE_LINK.findall(home)))
        _timings.append((round(time.time(), 3), SIGNED_IN, 0, True))

    @task(3)
    def practice_quiz(self) -> None:
        if not self.modules:
            return
        if random.random() < HOME_BETWEEN_TASKS:  # back to 我的培训 between tasks, as people do
            self.get_page("/me", "/me", must_contain=pages.HOME_MARK)
            pause(0.3, 1)
        module = random.choice(self.modules)
        if self.get_page(f"/me/modules/{module}", "/me/modules/[module]") is None:
            return
        pause(0.3, 1)
        attempt = self.open_attempt(f"/me/modules/{module}/quiz", "/me/modules/[module]/quiz",
                                    "quiz")
        if attempt is not None:
            self.answer_quiz(attempt)

    @task(1)
    def assessment_quiz(self) -> None:
        if not self.modules:
            return
        module = random.choice(self.modules)
        page = self.get_page(f"/me/modules/{module}", "/me/modules/[module]")
        if page is None or f"/me/modules/{module}/assessment/quiz" not in page:
            return  # this module has no quiz part open for him
        pause(0.3, 1)
        attempt = self.open_attempt(f"/me/modules/{module}/assessment/quiz",
                                    "/me/modules/[module]/assessment/quiz", "assessment")
        if attempt is not None:
            self.answer_quiz(attempt)

    def answer_quiz(self, attempt: int) -> None:
        url = f"/me/quiz/{attempt}"
        page = self.get_page(url, "/me/quiz/[id]", must_contain="交卷")
        if page is None:
            return
        questions, fields = pages.quiz_answers(page)
        pause(0.3, 1)
        # The page autosaves as the trainee goes (fetch with the token in a header).
        half = fields[: len(fields) // 2]
        with self.client.post(f"{url}/save", data=urlencode(half),
                              headers={"Content-Type": FORM, "X-CSRFToken": self.csrf},
                              name="/me/quiz/[id]/save", catch_response=True) as saved:
            if saved.status_code != 200:
                saved.failure(f"{saved.status_code}")
        pause(0.3, 1)
        if self.post_form(url, fields, "/me/quiz/[id] [POST]") is None:
            return
        result = self.get_page(url, "/me/quiz/[id] (result)", must_contain="答对")
        if pages.result_matches(result or "", questions):
            LEDGER.add("submitted", user=self.employee_no, attempt=attempt, questions=questions)

    @task(3)
    def roleplay(self) -> None:
        page = self.get_page("/me/roleplay", "/me/roleplay")
        dialogues = pages.ROLEPLAY_START.findall(page or "")
        if not dialogues:
            return
        pause(0.3, 1)
        attempt = self.open_attempt(f"/me/roleplay/{random.choice(dialogues)}/start",
                                    "/me/roleplay/[dialogue]/start", "roleplay")
        if attempt is None:
            return
        url = f"/me/roleplay/attempts/{attempt}"
        for _ in range(random.randint(1, 2)):
            play = self.get_page(url, "/me/roleplay/attempts/[id]")
            turn = pages.TURN_FORM.search(play or "")
            if turn is None:
                return
            pause(0.3, 1)
            text = random.choice(pages.TYPED)
            if self.post_form(turn.group(1), [("text", text)],
                              "/me/roleplay/attempts/[id]/turns/[n]") is None:
                return
            shown = self.get_page(url, "/me/roleplay/attempts/[id]")
            if shown is not None and text in shown:
                LEDGER.add("turn", user=self.employee_no, attempt=attempt,
                           position=int(turn.group(3)), text=text)
