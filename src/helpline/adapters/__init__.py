"""Adapters: the real-world ends of the protocols the domain layers use (clock, telephony...)."""
