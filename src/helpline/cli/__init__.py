"""The ``helpline`` command line. Thin: parse options, call services, print."""
