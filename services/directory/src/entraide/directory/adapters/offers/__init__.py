"""The offers' store and the search cards cached in each process."""
