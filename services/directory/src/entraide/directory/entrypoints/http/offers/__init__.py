"""Offers over HTTP: the public search (API and pages), data·inclusion's export, staff editing."""
