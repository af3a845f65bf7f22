"""Entraide observatory: anonymous indicators of the network, territory by territory."""
