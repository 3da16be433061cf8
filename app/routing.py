"""Routes recorded beside their views; blueprints assembled from them in one place.

A feature's pages can span several modules (hiring's requisitions, applications,
interviews …) and the JSON API spans every feature, yet each is one blueprint with one
endpoint prefix (``hiring.board``, ``api.requisition_detail``). So a module never imports
a blueprint: it records its routes on its own :class:`Routes`, and :func:`blueprint`
builds each blueprint from the modules the table in ``app/__init__.py`` names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Blueprint

F = TypeVar("F", bound=Callable[..., Any])
Setup = Callable[[Blueprint], None]


class Routes:
    """What one module adds to its blueprint: URL rules, request hooks, error handlers and
    template globals, in the order they are declared."""

    def __init__(self) -> None:
        self._setup: list[Setup] = []

    def route(self, rule: str, *, methods: Sequence[str], **options: Any) -> Callable[[F], F]:
        def decorator(view: F) -> F:
            self._setup.append(
                lambda bp: bp.add_url_rule(rule, view_func=view, methods=list(methods), **options)
            )
            return view

        return decorator

    def get(self, rule: str, **options: Any) -> Callable[[F], F]:
        return self.route(rule, methods=("GET",), **options)

    def post(self, rule: str, **options: Any) -> Callable[[F], F]:
        return self.route(rule, methods=("POST",), **options)

    def patch(self, rule: str, **options: Any) -> Callable[[F], F]:
        return self.route(rule, methods=("PATCH",), **options)

    def put(self, rule: str, **options: Any) -> Callable[[F], F]:
        return self.route(rule, methods=("PUT",), **options)

    def before_request(self, hook: F) -> F:
        self._setup.append(lambda bp: bp.before_request(hook))
        return hook

    def before_app_request(self, hook: F) -> F:
        """A hook run before every request of the application, whatever its blueprint."""
        self._setup.append(lambda bp: bp.before_app_request(hook))
        return hook

    def after_request(self, hook: F) -> F:
        self._setup.append(lambda bp: bp.after_request(hook))
        return hook

    def errorhandler(self, error: type[Exception]) -> Callable[[F], F]:
        def decorator(handler: F) -> F:
            self._setup.append(lambda bp: bp.register_error_handler(error, handler))
            return handler

        return decorator

    def template_global(self, function: F) -> F:
        self._setup.append(lambda bp: bp.add_app_template_global(function))
        return function

    def add_to(self, bp: Blueprint) -> None:
        for setup in self._setup:
            setup(bp)


def blueprint(name: str, parts: Sequence[Routes]) -> Blueprint:
    """One blueprint named ``name`` serving the routes of every part."""
    bp = Blueprint(name, __name__)
    for part in parts:
        part.add_to(bp)
    return bp
