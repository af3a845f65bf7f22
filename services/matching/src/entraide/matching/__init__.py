"""Entraide matching service."""
