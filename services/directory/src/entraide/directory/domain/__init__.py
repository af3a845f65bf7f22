"""Directory's rules: offers (`offers/`), volunteers (`volunteers/`), and what both use
(the associations, the communes, distances, a record's changes). Pure: no I/O."""
