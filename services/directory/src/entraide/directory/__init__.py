"""Entraide directory service."""
