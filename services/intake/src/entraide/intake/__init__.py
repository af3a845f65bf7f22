"""Entraide intake service."""
