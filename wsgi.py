"""WSGI entry point: ``gunicorn wsgi:app``."""

from app import create_app
from app.serving import prepare_for_serving

app = create_app()
prepare_for_serving(app)
