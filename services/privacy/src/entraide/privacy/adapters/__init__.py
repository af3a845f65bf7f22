"""Privacy's adapters: the store (`store`, MongoDB), the key vault's keys (`vault`, wrapped
by `crypto`), the cases' commands on Kafka (`commands`), the warnings' sender (`notices`)."""
