"""Closing sittings whose time ran out, before a page shows the person's attempts."""

from __future__ import annotations

from trainer.content.library import ContentLibrary
from trainer.extensions import db
from trainer.models import User
from trainer.training import quiz, roleplay


def close_overdue_attempts(user: User, library: ContentLibrary) -> int:
    """Score overdue quizzes from their saved answers and finish overdue role-plays (commits)."""
    closed = quiz.close_overdue(user, library) + roleplay.close_overdue(user)
    if closed:
        db.session.commit()
    return closed
