"""Volunteers: the application, the association's review, the sealed identity, the event."""
