"""Interface strings in French and English. Each page asks ``t(key)`` in the user's locale."""

from __future__ import annotations

from typing import Final

LOCALES: Final = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app.tagline": {
        "fr": "Le poste de commande de celles et ceux qui parlent au nom de l'organisation",
        "en": "The command center for the people who speak for the organisation",
    },
    "nav.inbox": {"fr": "Boîte de réception", "en": "Inbox"},
    "nav.approvals": {"fr": "Validations", "en": "Approvals"},
    "nav.crisis": {"fr": "Cellule de crise", "en": "Crisis room"},
    "nav.dashboard": {"fr": "Tableaux de bord", "en": "Dashboards"},
    "nav.library": {"fr": "Bibliothèque de cas", "en": "Case library"},
    "nav.admin": {"fr": "Administration", "en": "Administration"},
    "nav.audit": {"fr": "Journal d'audit", "en": "Audit log"},
    "nav.logout": {"fr": "Se déconnecter", "en": "Log out"},
    "nav.skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "nav.language": {"fr": "English", "en": "Français"},
    "login.title": {"fr": "Connexion", "en": "Log in"},
    "login.email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "login.password": {"fr": "Mot de passe", "en": "Password"},
    "login.submit": {"fr": "Se connecter", "en": "Log in"},
    "login.failed": {
        "fr": "E-mail inconnu ou mot de passe erroné.",
        "en": "Unknown e-mail or wrong password.",
    },
    "login.throttled": {
        "fr": "Trop de tentatives. Réessayez dans 15 minutes.",
        "en": "Too many attempts. Try again in 15 minutes.",
    },
    "home.workspaces": {"fr": "Vos espaces de travail", "en": "Your workspaces"},
    "home.roles": {"fr": "Rôles", "en": "Roles"},
    "home.none": {
        "fr": "Vous n'êtes membre d'aucun espace de travail.",
        "en": "You are not a member of any workspace.",
    },
    "audit.title": {"fr": "Journal d'audit", "en": "Audit log"},
    "audit.verify": {"fr": "Vérifier la chaîne", "en": "Verify the chain"},
    "audit.ok": {
        "fr": "Chaîne intacte : {n} entrées vérifiées.",
        "en": "Chain intact: {n} entries verified.",
    },
    "audit.broken": {
        "fr": "Chaîne ROMPUE à l'entrée n°{seq} : {reason}.",
        "en": "Chain BROKEN at entry #{seq}: {reason}.",
    },
    "audit.when": {"fr": "Date", "en": "When"},
    "audit.who": {"fr": "Qui", "en": "Who"},
    "audit.action": {"fr": "Action", "en": "Action"},
    "audit.object": {"fr": "Objet", "en": "Object"},
    "audit.details": {"fr": "Détails", "en": "Details"},
    "error.forbidden": {"fr": "Accès refusé.", "en": "Access denied."},
    "error.not_found": {"fr": "Introuvable.", "en": "Not found."},
}


def translate(key: str, locale: str, **values: object) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(locale) or entry["en"]
    return text.format(**values) if values else text


def pick_locale(preferred: str | None, accept_language: str | None) -> str:
    if preferred in LOCALES:
        return preferred
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LOCALES:
            return code
    return "fr"
