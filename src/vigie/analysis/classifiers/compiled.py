"""Compiled loops (numba) for the per-text work numpy can only do in many whole-batch passes.

Machine code is cached on disk (next to the module, or in the user's cache directory when that is
read-only), so only the first process after an install or upgrade pays the compilation (a few seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from numba import njit

_Function = TypeVar("_Function", bound=Callable[..., Any])

KeyArray = npt.NDArray[np.uint64]
IntArray = npt.NDArray[np.int64]

MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: a key times MIX has its well-mixed bits at the top


def jit(function: _Function) -> _Function:
    """Compile ``function`` with numba on its first call (it must then use only what numba supports)."""
    return cast(_Function, njit(cache=True, nogil=True)(function))


def table_size(n_keys: int) -> int:
    """Slots of an open-addressing table for ``n_keys``: a power of two, at most half full."""
    size = 16
    while size < 2 * n_keys:
        size *= 2
    return size


def slot_shift(size: int) -> np.uint64:
    """The right shift that turns ``key * MIX`` into a slot of a table of ``size`` (a power of two)."""
    return np.uint64(64 - (size.bit_length() - 1))


@jit
def _fill_int_table(
    keys: KeyArray, values: IntArray, table_keys: KeyArray, table_values: IntArray, shift: np.uint64
) -> None:
    mask = np.uint64(table_keys.shape[0] - 1)
    mix = np.uint64(MIX)
    for index in range(keys.shape[0]):
        slot = (keys[index] * mix) >> shift
        while table_values[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        table_keys[slot] = keys[index]
        table_values[slot] = values[index]


@jit
def int_table_get(table_keys: KeyArray, table_values: IntArray, shift: np.uint64, key: np.uint64) -> int:
    """The value stored for ``key``, or -1 (to be called from compiled code)."""
    mask = np.uint64(table_keys.shape[0] - 1)
    slot = (key * np.uint64(MIX)) >> shift
    while table_values[slot] >= 0:
        if table_keys[slot] == key:
            return int(table_values[slot])
        slot = (slot + np.uint64(1)) & mask
    return -1


@jit
def _get_all(table_keys: KeyArray, table_values: IntArray, shift: np.uint64, keys: KeyArray) -> IntArray:
    found = np.empty(keys.shape[0], dtype=np.int64)
    for index in range(keys.shape[0]):
        found[index] = int_table_get(table_keys, table_values, shift, keys[index])
    return found


class IntTable:
    """An open-addressing table from distinct 64-bit keys to non-negative integers, read from compiled code
    through ``int_table_get(table.keys, table.values, table.shift, key)``."""

    def __init__(self, keys: KeyArray, values: IntArray) -> None:
        if keys.shape != values.shape:
            raise ValueError("keys and values must have the same length")
        size = table_size(keys.shape[0])
        self.shift = slot_shift(size)
        self.keys = np.zeros(size, dtype=np.uint64)
        self.values = np.full(size, -1, dtype=np.int64)
        _fill_int_table(keys.astype(np.uint64), values.astype(np.int64), self.keys, self.values, self.shift)

    def lookup(self, keys: KeyArray) -> IntArray:
        """The value of each key, or -1 for keys not in the table."""
        return _get_all(self.keys, self.values, self.shift, keys.astype(np.uint64, copy=False))
