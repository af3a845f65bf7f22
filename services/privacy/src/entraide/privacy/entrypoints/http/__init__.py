"""Privacy's HTTP side: the officer's API and pages, the key vault's internal API."""
