"""Intake's doors: HTTP (API, partner door, pages) and Kafka consumers."""
