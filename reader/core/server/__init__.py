"""Where translation happens beyond the local models: a LibreTranslate server (its client
and the engine that sends it our sentences), and the choice between it and this computer."""
