"""How privacy is reached: HTTP (`http`), Kafka (`consumers`), its scheduled jobs."""
