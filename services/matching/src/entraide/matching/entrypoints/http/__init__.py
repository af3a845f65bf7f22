"""Matching's HTTP: the API and the coordinators' pages."""
