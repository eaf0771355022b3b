"""Fair quality inspection (质检).

Pure domain code: scorecards as data, automatic checks on every transcript,
committed-seed sampling, hash-chained evaluations, calibration between
evaluators, disputes and monthly reports. Nothing here reads files, databases
or the wall clock; the CLI and ``helpline.store.qa_records`` do the I/O.
"""
