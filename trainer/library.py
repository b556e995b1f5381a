"""The training content loaded at start-up, as the web layer reaches it.

The content is read once per process (trainer.content caches by file times); an invalid
content directory stops the web server from starting, while database commands still run.
"""

from __future__ import annotations

from flask import Flask, current_app

EXTENSION_KEY = "trainer.content"
# (stamp, library with the admin's corrections): see get_library.
OVERRIDES_KEY = "trainer.content.overrides"
STAMP_FILE = "content-overrides.stamp"


class ContentUnavailable(RuntimeError):
    """The content directory did not load; the message lists every problem."""


def init_library(app: Flask) -> None:
    """Load the content into the app, remembering the problems instead of raising."""
    from trainer.content import ContentError, format_problems, load_content

    try:
        app.extensions[EXTENSION_KEY] = load_content(app.config["CONTENT_DIR"])
    except ContentError as exc:
        app.extensions[EXTENSION_KEY] = ContentUnavailable(format_problems(exc.problems))


def require_valid_content(app: Flask) -> None:
    """Refuse to serve with invalid content (called by the WSGI entry point)."""
    loaded = app.extensions.get(EXTENSION_KEY)
    if isinstance(loaded, ContentUnavailable):
        raise SystemExit("培训内容有错误,服务未启动:\n" + str(loaded))


def get_library():
    """The content in force: the YAML files with the admin's corrections (content_override).

    The corrections are read from the database once per process and again only when the
    stamp file in instance/ changes (every process's saved correction touches it), so a
    request costs a stat(), not a query."""
    loaded = current_app.extensions.get(EXTENSION_KEY)
    if loaded is None or isinstance(loaded, ContentUnavailable):
        raise ContentUnavailable(str(loaded) if loaded else "培训内容未加载")
    stamp = _stamp(current_app)
    state = current_app.extensions.get(OVERRIDES_KEY)
    if state is None or state[0] != stamp or state[2] is not loaded:
        state = (stamp, _with_overrides(current_app, loaded), loaded)
        current_app.extensions[OVERRIDES_KEY] = state
    return state[1]


def base_library():
    """The YAML files alone (what a correction is compared with)."""
    loaded = current_app.extensions.get(EXTENSION_KEY)
    if loaded is None or isinstance(loaded, ContentUnavailable):
        raise ContentUnavailable(str(loaded) if loaded else "培训内容未加载")
    return loaded


def content_corrected(app: Flask) -> None:
    """Tell every process that the corrections changed (after the commit)."""
    import os
    from pathlib import Path

    path = Path(app.instance_path) / STAMP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(os.urandom(8).hex(), encoding="ascii")
    app.extensions.pop(OVERRIDES_KEY, None)


def _stamp(app: Flask):
    import os

    try:
        found = os.stat(os.path.join(app.instance_path, STAMP_FILE))
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def _with_overrides(app: Flask, base):
    """The base library with the corrections in the database (the base alone if there are
    none, or if the table is not there yet: before `init-db`)."""
    from sqlalchemy.exc import SQLAlchemyError

    from trainer.admin.content_corrections import overrides_in_force
    from trainer.content import ContentError, load_content
    from trainer.extensions import db

    try:
        overrides = overrides_in_force()
    except SQLAlchemyError:
        db.session.rollback()
        return base
    if not overrides:
        return base
    try:
        return load_content(app.config["CONTENT_DIR"], overrides)
    except ContentError:
        # Saved corrections were checked; a later edit of the files may clash with one.
        # Serve the files alone rather than nothing; `flask content check` names the clash.
        app.logger.error("培训内容修正与内容文件冲突,暂按内容文件提供;请运行 flask content check")
        return base


def rule_set_choices() -> list[tuple[str, str]]:
    """The company rule sets a station may follow, for a select field."""
    try:
        library = get_library()
    except ContentUnavailable:
        return []
    return [(rs.id, rs.title) for rs in library.rule_sets]


def warm_up_scoring(app: Flask) -> int:
    """Compile every phrase and dialogue turn of the loaded content and score one answer.

    A server worker calls this before it takes requests (trainer.gunicorn_conf): the first
    compile loads jieba's dictionary and the pinyin tables, about 0.6 s of CPU during which the
    worker's other requests wait. Returns how many specs were compiled (0 without content).
    """
    from trainer.content import Dialogue, PhraseItem
    from trainer.scoring import score_answer

    loaded = app.extensions.get(EXTENSION_KEY)
    if loaded is None or isinstance(loaded, ContentUnavailable):
        return 0
    specs = []
    for module in loaded.modules:
        for item in module.items():
            if isinstance(item, PhraseItem):
                specs.append(item.spec)
            elif isinstance(item, Dialogue):
                specs.extend(turn.spec for turn in item.turns)
    for spec in specs:
        loaded.compile(spec)
    plain = next((spec for spec in specs if not spec.placeholders), None)
    if plain is not None:  # scoring itself: the pinyin of the answer, the alignment
        score_answer(loaded.compile(plain), "您好,欢迎光临", {})
    return len(specs)
