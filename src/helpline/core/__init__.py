"""Identifiers, value types, the event catalog and the clock. No I/O."""
