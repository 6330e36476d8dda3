"""Widgets of the Board: the alert table and the header with counts and a sparkline."""
