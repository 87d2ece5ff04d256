"""Synthetic organisation generator: vendor-native landing files plus the facts planted in them.

`generate(out_dir, engineers, days, seed, end_date)` is the only public entry point.
"""

from orchestration.generate.run import generate

__all__ = ["generate"]
