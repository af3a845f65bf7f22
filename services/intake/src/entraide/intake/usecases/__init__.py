"""Intake's commands and queries, one module per capability, behind the ports (`ports`)."""
