"""Tests that run cltui as real processes."""
