"""Volunteers over HTTP: the public application (API and page), the association's review."""
