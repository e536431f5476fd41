"""The charter check: findings on any outgoing text (pure: no database, no HTTP).

>>> from vigie.governance.charter import CharterConfig, CheckContext, check_text
>>> [f.category.value for f in check_text("Nous vous remboursons 80 € d'ici vendredi", lang="fr",
...     config=CharterConfig(), context=CheckContext())]
['commitment.refund', 'commitment.deadline']
"""

from vigie.governance.charter.checker import Checker, check_text, get_checker
from vigie.governance.charter.config import DEFAULT_SEVERITY, BrandTerm, CharterConfig, CheckContext
from vigie.governance.charter.language import detect_language

__all__ = [
    "DEFAULT_SEVERITY",
    "BrandTerm",
    "CharterConfig",
    "CheckContext",
    "Checker",
    "check_text",
    "detect_language",
    "get_checker",
]
