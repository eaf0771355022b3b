"""The ACD: a pure state machine routing calls to agents.

``Engine.handle(input, now)`` decides, emits events and applies them to its
state; ``Engine.apply(event)`` is the only place state changes, so replaying
the log rebuilds exactly the state the live engine had. The simulator and the
live server drive the same class.
"""
