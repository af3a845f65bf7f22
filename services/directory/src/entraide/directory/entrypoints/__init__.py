"""Directory's entrypoints: HTTP (`http/`: the API and the pages). Its only Kafka
subscriber, privacy's commands, is the kit's (`entraide.kit.rights`), wired in `app.py`."""
