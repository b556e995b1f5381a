"""The training content loaded at start-up, as the web layer reaches it.

The content is read once per process (trainer.content caches by file times); an invalid
content directory stops the web server from starting, while database commands still run.
"""

from __future__ import annotations

from flask import Flask, current_app

EXTENSION_KEY = "trainer.content"


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
    loaded = current_app.extensions.get(EXTENSION_KEY)
    if loaded is None or isinstance(loaded, ContentUnavailable):
        raise ContentUnavailable(str(loaded) if loaded else "培训内容未加载")
    return loaded


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
