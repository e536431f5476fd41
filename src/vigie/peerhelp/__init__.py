"""Peer help: "ask a senior" on a case, private comments, suggested drafts, taking the case."""
