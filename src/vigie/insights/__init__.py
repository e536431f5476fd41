"""Read-only aggregates for the web pages: dashboards and the crisis room's live chart."""
