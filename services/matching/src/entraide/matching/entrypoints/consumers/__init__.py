"""Matching's Kafka consumers: requests, offers, volunteers."""
