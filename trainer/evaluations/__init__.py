"""Evaluations that decide pay: periods, policies and the computation of an evaluation.

The pure core lives in submodules and imports nothing from Flask or the database; import it
from there (`trainer.evaluations.compute`, `.policy`, `.periods`), not from this package.
"""
