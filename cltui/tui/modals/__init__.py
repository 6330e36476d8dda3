"""Modal dialogs: confirm, timeline, new alert, filter, help and the roster editors."""
