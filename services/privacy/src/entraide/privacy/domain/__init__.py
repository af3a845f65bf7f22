"""Privacy's rules and aggregates, pure: when a subject's data expires and when to warn
(`retention`), the contacts events show (`contacts`), the registry's subjects and notices
(`subjects`), a rights case's life (`cases`), when a case is refused (`refusals`), the key
vault's answers (`keys`). No I/O: the use cases call these with a clock.
"""
