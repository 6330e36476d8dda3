"""The HTTP API: alert ingest, the Alertmanager webhook and acknowledgement endpoints."""
