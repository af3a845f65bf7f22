"""Entraide privacy service."""
