"""Intake's Kafka consumers: partners' raw events and matching's events."""
