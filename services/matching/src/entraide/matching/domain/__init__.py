"""Matching's rules, pure: no I/O. Candidates and hard rules (`rules`), the score
(`score`), the assignment (`assign`), the match lifecycle (`lifecycle`), the read model of
requests (`views`)."""

from entraide.matching.domain.views import family_of, request_view

__all__ = ["family_of", "request_view"]
