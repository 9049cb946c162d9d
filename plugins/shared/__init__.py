"""Rules that more than one plugin follows, each in one module; no plugin of its own (nothing to register)."""
