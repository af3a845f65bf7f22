"""Directory's adapters: the MongoDB stores (offers, volunteers, search cards), the unit of
work, the outbox relays, the volunteers' local keys, privacy's commands."""
