"""Directory's use cases: offers (`offers`), volunteers (`volunteers`), over the ports
(`ports`) the adapters implement."""
