"""The engine's semantics, end to end: a fake clock, a real database and real delivery."""
