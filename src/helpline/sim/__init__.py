"""Discrete-event simulation of a center, driving the very same routing engine.

Traffic (arrivals per interval, service times, caller patience) is drawn up
front with numpy from one seeded generator, so a run is reproducible; the
driver then feeds the engine arrivals, answers, hang-ups and timer ticks in
time order, playing the part telephony plays in the live server.
"""
