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

# Bidirectional control characters let a stranger's text reorder what is displayed around it
# ("\u202egnp.exe" shows as "exe.png"). They are shown as visible markers instead.
_BIDI_CONTROLS = {
    code: f"[U+{code:04X}]"
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
}


def neutralise_bidi(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_BIDI_CONTROLS)
    return value


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    finalize=neutralise_bidi,
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
