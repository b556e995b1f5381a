"""Helpers of the practice tests: starting a practice as a browser does, uploading a recording
the way recorder.js does (multipart field "audio", CSRF in the X-CSRFToken header), and
browser-like recordings made with PyAV from the shared development clips (used to measure
and exercise the route only; their labels never reach the code)."""

from __future__ import annotations

import io
import secrets
from functools import cache

from sqlalchemy.orm.attributes import flag_modified

from tests.shared_paths import EVAL_AUDIO
from trainer.extensions import db
from trainer.models import Attempt
from trainer.speech import PcmAudio, load_audio


@cache
def clip(name: str) -> PcmAudio:
    """A development clip as 16 kHz mono PCM."""
    return load_audio(EVAL_AUDIO / f"{name}.wav")


@cache
def webm(name: str) -> bytes:
    """The clip as Chrome's MediaRecorder uploads it: opus in webm at 48 kHz."""
    return clip(name).encode("webm", "libopus", 48000)


def start_phrase(browser, item_id: str = "sl-greet") -> int:
    """Start a practice on a phrase item through the page's form; returns the attempt id."""
    response = browser.post(f"/practice/phrases/{item_id}/start",
                            {"submit_key": secrets.token_hex(16)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def set_values(app, attempt_id: int, **values: str) -> None:
    """Fix the attempt's placeholder values (the page fills them at random)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        presented = dict(attempt.presented)
        presented["values"] = {**presented["values"], **values}
        presented["turns"][0]["values"] = presented["values"]
        attempt.presented = presented
        flag_modified(attempt, "presented")
        db.session.commit()


def json_headers(browser) -> dict:
    return {"X-CSRFToken": browser.csrf, "Accept": "application/json"}


def upload(browser, attempt_id: int, data: bytes, filename: str = "answer.webm",
           position: int = 0, **kwargs):
    """POST a recording to the turn endpoint as recorder.js does."""
    return browser.client.post(
        f"/practice/attempts/{attempt_id}/turns/{position}/audio",
        data={"audio": (io.BytesIO(data), filename)},
        headers=json_headers(browser), content_type="multipart/form-data", **kwargs,
    )


def answer_text(browser, attempt_id: int, text: str, position: int = 0):
    return browser.client.post(f"/practice/attempts/{attempt_id}/turns/{position}/text",
                               data={"text": text}, headers=json_headers(browser))
