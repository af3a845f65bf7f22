"""Intake's adapters: the store (MongoDB), the outbox, the keys, the audit log, the quotas."""
