"""Helpers of the station and certificate tests: making a person eligible for certification the
way the pages leave him (passed assessments, practical checks recorded by his head), and
certifying through the page as a browser does."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from sqlalchemy import select

from tests.training_helpers import pass_all_modules
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Certificate, User
from trainer.station import practical


def record_practicals(user_id: int, head_id: int, *, grooming: bool = True,
                      drill: bool = True) -> None:
    """The grooming checklist and the fueling drill as the head records them (passed or not)."""
    library = get_library()
    user, head = db.session.get(User, user_id), db.session.get(User, head_id)
    _, checklist = practical.grooming_checklist(user, library)
    answers = {e.id: grooming or not e.critical for e in checklist.entries}
    practical.record_grooming(user, head, answers, library)
    setup = practical.fueling_drill(user, library)
    if setup is not None:
        step = 5 if drill else 20  # 20 s a step: far over 熄火到开枪 30 s
        times = {s.id: str(i * step) for i, s in enumerate(setup.drill.steps)}
        practical.record_drill(user, head, times, library)
    db.session.commit()


def make_eligible(app, world, key: str = "staff_a", head: str = "head_a") -> None:
    """Every requirement of certification met for the person."""
    with app.app_context():
        user = db.session.get(User, world.id(key))
        pass_all_modules(user.id, get_library(), user.station_id)
        record_practicals(user.id, world.id(head))


def certify_via_page(browser, user_id: int):
    """Press 认证上岗 on the staff page."""
    return browser.post(f"/station/staff/{user_id}/certify",
                        {"csrf_token": browser.token_from(f"/station/staff/{user_id}")})


def certificate_of(app, user_id: int) -> Certificate | None:
    with app.app_context():
        cert = db.session.scalar(select(Certificate).where(Certificate.user_id == user_id)
                                 .order_by(Certificate.id.desc()).limit(1))
        if cert is not None:
            db.session.expunge(cert)
        return cert


def shift_certificate(app, certificate_id: int, *, issued: date, expires: date) -> None:
    """Move a certificate in time (as if issued long ago)."""
    with app.app_context():
        cert = db.session.get(Certificate, certificate_id)
        cert.issued_on, cert.expires_on = issued, expires
        db.session.commit()


def days_ago(n: int) -> date:
    from trainer.timeutil import today

    return today() - timedelta(days=n)


def new_key() -> str:
    return secrets.token_hex(16)


def flashes(html: str) -> list[str]:
    return re.findall(r'class="flash flash-\w+"[^>]*>([^<]*)<', html)
