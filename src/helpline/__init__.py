"""helpline: an open-source contact-center platform.

The package is layered (see docs/architecture.md): ``core`` holds value types
and the event catalog; ``engine``, ``sim``, ``wfm``, ``qa``, ``cases`` and
``metrics`` are pure domain code; ``store``, ``adapters``, ``api``, ``web`` and
``cli`` do the I/O and stay thin.
"""

__version__ = "0.1.0"
