"""Matching's use cases: placing families, coordinators' decisions, re-routing, the batch,
follow-ups, and the queries the pages and the API read. They speak to ports (`ports`)."""
