"""The console's screens, one per mode: Board, People, Teams and Escalation."""
