"""The production entry point: `gunicorn trainer.wsgi:app`. Refuses to start on invalid content."""

from trainer import create_app
from trainer.library import require_valid_content

app = create_app()
require_valid_content(app)
