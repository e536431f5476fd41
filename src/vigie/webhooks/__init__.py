"""Outgoing webhooks: signed JSON events (new case, alert, approval needed) for other systems."""
