"""Matching's entrypoints: HTTP (API and pages), Kafka consumers, the scheduler."""
