"""Directory's Kafka consumers: matching's proposals, told to the volunteers proposed."""
