"""Call history from other systems, turned into helpline events."""
