"""A tiny French/English detector for drafts: function words and accents, no model to load.

It answers ``None`` when the text gives too little evidence (one or two words), so that
a short "Merci !" or "OK" never raises a language mismatch.
"""

from __future__ import annotations

import re

_FR = frozenset(
    """le la les des du de et est un une nous vous je pour pas que qui dans sur avec votre vos notre nos ce
    cette ces sont mais ou au aux très bien merci bonjour bonsoir ne plus avons avez êtes sommes été être
    faire fait il elle ils elles on leur leurs son sa ses mon ma mes ton ta tes cela ça aussi car donc si
    encore déjà chez entre sans sous votre commande colis désolé désolés bonne journée cordialement
    n'hésitez quand comment pourquoi où c'est d'un d'une l'équipe qu'il j'ai s'il""".split()
)
_EN = frozenset(
    """the and is are we you i for not that which in with your our this these but or to of very well thanks
    thank hello hi be been have has had do does did will would can could should it they them their my me
    us what when where why how there here please sorry order team regards kind best just also so if
    any all from by an was were it's we're we'll you're don't can't i'm let know""".split()
)
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüœ']+", re.IGNORECASE)
_FR_CHARS = re.compile(r"[àâçéèêëîïôùûœ]", re.IGNORECASE)


def detect_language(text: str) -> str | None:
    """``"fr"``, ``"en"`` or ``None`` when unsure."""
    fr = en = 0
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in _FR:
            fr += 1
        if word in _EN:
            en += 1
    fr_chars = len(_FR_CHARS.findall(text))
    score_fr = fr + min(fr_chars, 3) * 0.5
    total = score_fr + en
    if total < 2:
        return None
    if score_fr >= 2 * en and score_fr >= 2:
        return "fr"
    if en >= 2 * score_fr and en >= 2:
        return "en"
    return None
