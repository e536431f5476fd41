"""The case library: post-mortems and cases marked as lessons, searchable in French and English."""
