"""Pure on-call logic: durations, rotations and escalation planning; no I/O, no clock."""
