"""The live HTTP server: one single-writer engine per process, every decision logged.

``live`` holds the engine and the log and is the only writer; ``app`` maps
HTTP requests onto it; ``bodies`` validates request bodies; ``views`` turns
engine and projection state into JSON.
"""
