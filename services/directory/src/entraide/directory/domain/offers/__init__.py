"""Offers: the fields an association gives, freshness, events, search cards and ranking."""
