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
    "draft.title": {"fr": "Brouillon de réponse", "en": "Draft reply"},
    "draft.new": {"fr": "Écrire un message", "en": "Write a message"},
    "draft.channel": {"fr": "Canal", "en": "Channel"},
    "draft.text": {"fr": "Texte", "en": "Text"},
    "draft.verdict": {"fr": "Verdict :", "en": "Verdict:"},
    "draft.submit": {"fr": "Envoyer", "en": "Submit"},
    "draft.published": {"fr": "Brouillon #{id} publié.", "en": "Draft #{id} published."},
    "draft.pending": {
        "fr": "Brouillon #{id} envoyé en validation à {approvers}.",
        "en": "Draft #{id} sent for approval to {approvers}.",
    },
    "draft.blocked": {
        "fr": "Brouillon #{id} bloqué par la charte.",
        "en": "Draft #{id} blocked by the charter.",
    },
    "approvals.empty": {"fr": "Aucune demande en attente.", "en": "No pending request."},
    "approvals.done": {"fr": "Demande #{id} traitée.", "en": "Request #{id} decided."},
    "approvals.approvers": {"fr": "Valideurs", "en": "Approvers"},
    "approvals.text": {"fr": "Texte (modifiable)", "en": "Text (editable)"},
    "approvals.comment": {"fr": "Commentaire", "en": "Comment"},
    "approvals.approve": {"fr": "Valider et publier", "en": "Approve and publish"},
    "approvals.reject": {"fr": "Refuser", "en": "Reject"},
    "case.title": {"fr": "Dossier", "en": "Case"},
    "inbox.empty": {"fr": "Aucun message.", "en": "No message."},
    "inbox.filter": {"fr": "Filtrer", "en": "Filter"},
    "inbox.any": {"fr": "tous", "en": "any"},
    "inbox.intent": {"fr": "Intention", "en": "Intent"},
    "inbox.language": {"fr": "Langue", "en": "Language"},
    "inbox.sentiment": {"fr": "Sentiment", "en": "Sentiment"},
    "inbox.topic": {"fr": "Sujet", "en": "Topic"},
    "inbox.priority": {"fr": "Priorité", "en": "Priority"},
    "inbox.thread": {"fr": "Fil", "en": "Thread"},
    "inbox.messages": {"fr": "messages", "en": "messages"},
    "inbox.assignee": {"fr": "Responsable", "en": "Assignee"},
    "inbox.new": {"fr": "Nouveaux dossiers, afficher :", "en": "New cases, show:"},
    "inbox.overdue": {"fr": "en retard", "en": "overdue"},
    "crisis.resolution": {"fr": "Comment la crise a été résolue", "en": "How the crisis was resolved"},
    "crisis.resolve": {"fr": "Clore la crise", "en": "Resolve the crisis"},
    "crisis.declare": {
        "fr": "Déclarer une crise depuis l'alerte #{id}",
        "en": "Declare a crisis from alert #{id}",
    },
    "case.ask_senior": {"fr": "Demander à un senior", "en": "Ask a senior"},
    "case.ask_sent": {"fr": "Demande envoyée.", "en": "Request sent."},
    "case.playbooks": {"fr": "Playbooks suggérés", "en": "Suggested playbooks"},
    "case.author": {"fr": "Auteur", "en": "Author"},
    "case.influence": {"fr": "Influence", "en": "Influence"},
    "case.followers": {"fr": "Abonnés", "en": "Followers"},
    "case.analysis": {"fr": "Analyse", "en": "Analysis"},
    "case.reasons": {"fr": "Raisons", "en": "Reasons"},
    "case.thread": {"fr": "Fil de discussion", "en": "Thread"},
    "crisis.grade": {"fr": "Niveau", "en": "Grade"},
    "crisis.alerts": {"fr": "Alertes", "en": "Alerts"},
    "crisis.signals": {"fr": "Signaux", "en": "Signals"},
    "crisis.chart": {
        "fr": "Volume et sentiment (dernières heures)",
        "en": "Volume and sentiment (last hours)",
    },
    "crisis.none": {"fr": "Aucune alerte ouverte.", "en": "No open alert."},
    "crisis.timeline": {"fr": "Chronologie", "en": "Timeline"},
    "crisis.roles": {"fr": "Rôles", "en": "Roles"},
    "crisis.status_update": {"fr": "Point de situation", "en": "Status update"},
    "crisis.holding": {"fr": "Déclaration d'attente", "en": "Holding statement"},
    "crisis.post_mortem": {"fr": "Retour d'expérience", "en": "Post-mortem"},
    "crisis.driving": {"fr": "Messages à l'origine", "en": "Driving messages"},
    "dashboard.volume": {"fr": "Volume dans le temps", "en": "Volume over time"},
    "dashboard.sentiment": {"fr": "Sentiment", "en": "Sentiment"},
    "dashboard.intents": {"fr": "Intentions", "en": "Intents"},
    "dashboard.topics": {"fr": "Sujets", "en": "Topics"},
    "dashboard.drafts": {
        "fr": "Brouillons par verdict (passage par le contrôle)",
        "en": "Drafts by verdict (caught by the gate)",
    },
    "dashboard.findings": {"fr": "Constats de la charte", "en": "Charter findings"},
    "dashboard.escalations": {"fr": "Alertes par niveau", "en": "Alerts by grade"},
    "admin.files": {"fr": "Objets de l'espace (YAML)", "en": "Workspace objects (YAML)"},
    "admin.plan": {"fr": "Prévisualiser", "en": "Preview plan"},
    "admin.apply": {"fr": "Appliquer (audité)", "en": "Apply (audited)"},
    "admin.applied": {"fr": "Appliqué : {n} changement(s).", "en": "Applied: {n} change(s)."},
    "admin.team": {"fr": "Équipe", "en": "Team"},
    "admin.nochange": {"fr": "Aucun changement.", "en": "No change."},
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
