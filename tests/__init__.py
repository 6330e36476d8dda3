"""cltui test suite."""
