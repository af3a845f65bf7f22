"""Intake's HTTP doors: the staff API, the partners' door and the staff pages."""
