"""Privacy's Kafka subscribers: contacts, acknowledgements, its own rights commands."""
