"""Matching's adapters: the store (read models, matches, places, histories, waitlist,
follow-ups), the outbox relay, privacy's rights."""
