"""Intake's rules and models: pure, no I/O (what a request says, a family, who may see it)."""
