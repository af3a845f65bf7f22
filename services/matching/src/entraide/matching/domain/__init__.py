"""Matching's rules, pure: no I/O. Candidates and hard rules (`rules`), the score
(`score`), the assignment (`assign`), the match lifecycle (`lifecycle`)."""

from entraide.matching.domain.views import request_view

__all__ = ["request_view"]
