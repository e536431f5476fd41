"""Jinja2 environment: autoescaping on for every template, so a stranger's text is always inert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from vigie.web.i18n import translate

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request,
    template: str,
    *,
    locale: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    def t(key: str, **values: object) -> str:
        return translate(key, locale, **values)

    html = _environment.get_template(template).render(request=request, locale=locale, t=t, **context)
    return HTMLResponse(html, status_code=status_code)
