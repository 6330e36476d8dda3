"""Tests for the pure domain modules."""
