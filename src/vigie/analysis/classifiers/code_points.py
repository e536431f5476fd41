"""The character-level steps of feature normalisation, on the code points of a whole batch at once.

The texts arrive joined by ``BATCH_SEPARATOR`` (which none of them contains). In order, as the one-text
regular expressions do them: every run of decimal digits (``\\d+``) becomes ``0``; a run of three or
more equal characters other than a newline (``(.)\\1{2,}``) keeps three; accented letters become their
base (a one-to-one code point table); whitespace runs become one space and each text is stripped.
One compiled pass over the batch does them all, instead of a regular expression call per text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.compiled import jit
from vigie.analysis.text import BATCH_SEPARATOR

CodeArray = npt.NDArray[np.uint32]

_SEPARATOR_CODE = ord(BATCH_SEPARATOR)
_SPACE, _DIGIT = 1, 2


def _class_of(char: str) -> int:
    # ``re``'s \s and \d on str patterns are str.isspace and str.isdecimal, character by character.
    return (_SPACE if char.isspace() else 0) | (_DIGIT if char.isdecimal() else 0)


_BMP = 0x10000


@cache
def _bmp_table(class_of: Callable[[str], int]) -> npt.NDArray[np.uint8]:
    """``class_of`` of every code point of the Basic Multilingual Plane, asked once per process (about
    10 ms): one lookup per character then classifies almost every text."""
    return np.array([class_of(chr(code)) for code in range(_BMP)], dtype=np.uint8)


def classify(codes: CodeArray, class_of: Callable[[str], int]) -> npt.NDArray[np.uint8]:
    """``class_of(chr(code))`` of each code point (a small integer), from a table in the Basic
    Multilingual Plane and by asking Python once per distinct code point above it."""
    table = _bmp_table(class_of)
    in_bmp = codes < _BMP
    if in_bmp.all():
        classes: npt.NDArray[np.uint8] = table[codes]
        return classes
    classes = np.zeros(codes.shape[0], dtype=np.uint8)
    classes[in_bmp] = table[codes[in_bmp]]
    others = np.flatnonzero(~in_bmp)  # emoji and other rare characters
    distinct, where = np.unique(codes[others], return_inverse=True)
    classes[others] = np.array([class_of(chr(code)) for code in distinct.tolist()], dtype=np.uint8)[where]
    return classes


@jit
def _normalised(codes: CodeArray, classes: npt.NDArray[np.uint8], accents: CodeArray) -> CodeArray:
    """The steps of the module docstring in one pass (``accents`` empty: no accent step)."""
    out = np.empty(codes.shape[0], dtype=np.uint32)
    n = 0
    # The last three code points after the digit step (an elongation compares with them, kept or not).
    last1 = last2 = last3 = np.uint32(_SEPARATOR_CODE)
    pending_space = False  # a whitespace run was read since the last character written
    digit_before = False
    for index in range(codes.shape[0]):
        code = codes[index]
        kind = classes[index]
        if kind & _DIGIT:
            if digit_before:
                continue
            digit_before = True
            code = np.uint32(48)  # "0"
        else:
            digit_before = False
        elongated = code == last1 and code == last2 and code == last3 and code != 10
        last3, last2, last1 = last2, last1, code
        if elongated:
            continue
        if code == _SEPARATOR_CODE:
            pending_space = False
            out[n] = code
            n += 1
            continue
        if kind & _SPACE:
            pending_space = True
            continue
        if pending_space and n > 0 and out[n - 1] != _SEPARATOR_CODE:
            out[n] = 32
            n += 1
        pending_space = False
        if 128 <= code < accents.shape[0]:
            code = accents[code]
        out[n] = code
        n += 1
    return out[:n]


def normalise_code_points(joined: str, accents: CodeArray | None) -> str:
    """Digits, elongations, accents (``accents[code]`` for codes below its length) and whitespace."""
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    table = accents if accents is not None else np.zeros(0, dtype=np.uint32)
    return _normalised(codes, classify(codes, _class_of), table).tobytes().decode("utf-32-le")
