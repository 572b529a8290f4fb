"""Winnowing fingerprints (Schleimer, Wilkerson and Aiken, SIGMOD 2003) of token streams, with a
hash that is the same in every process and on every machine, so fingerprints stored in one
term's run folder compare with the next term's.

Why not copydetect (0.5.0, evaluated): it winnows too, but hashes k-grams with Python's `hash`,
which is salted per process (PYTHONHASHSEED): its fingerprints cannot be stored and compared
later. It fingerprints a file's raw text (a notebook is its JSON, outputs and all), with no
notion of cells, magics, functions or of names normalized through the syntax tree, and its
starter-code subtraction is per file. What it would give us is a dozen lines of winnowing:
written here with NumPy instead, on tokens from `code.py`.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

K = 10
"""Tokens per k-gram (a token is one syntax-tree node: a line of code is about 8-15)."""
WINDOW = 5
"""Winnowing window: any match of K + WINDOW - 1 tokens shares at least one fingerprint."""
_BASE = np.uint64(1_000_003)


@lru_cache(maxsize=65536)
def token_hash(token: str) -> int:
    """A token's stable 64-bit hash (BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


def kgram_hashes(tokens: list[str], k: int = K) -> np.ndarray:
    """The polynomial hash (mod 2**64) of every k consecutive tokens."""
    n = len(tokens) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    t = np.fromiter((token_hash(x) for x in tokens), dtype=np.uint64, count=len(tokens))
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + t[j:j + n]
    return h


def winnow(hashes: np.ndarray, window: int = WINDOW) -> list[int]:
    """Positions selected by winnowing: the rightmost minimum of every window."""
    n = len(hashes)
    if n == 0:
        return []
    if n <= window:
        return [n - 1 - int(np.argmin(hashes[::-1]))]
    windows = np.lib.stride_tricks.sliding_window_view(hashes, window)
    right = window - 1 - np.argmin(windows[:, ::-1], axis=1)
    return sorted(set((np.arange(len(windows)) + right).tolist()))


def fingerprints(tokens: list[str], k: int = K, window: int = WINDOW) -> list[tuple[int, int]]:
    """(hash, position of its first token) of the fingerprints of a token stream."""
    hashes = kgram_hashes(tokens, k)
    return [(int(hashes[i]), i) for i in winnow(hashes, window)]
