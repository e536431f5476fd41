"""Vigie: a self-hostable command center for the people who speak for an organisation."""

__version__ = "0.1.0"
