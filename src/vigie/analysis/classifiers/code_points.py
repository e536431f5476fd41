"""The character-level steps of feature normalisation, on the code points of a whole batch at once.

The texts arrive joined by ``SEPARATOR`` (which none of them contains). In order, as the one-text
regular expressions do them: every run of decimal digits (``\\d+``) becomes ``0``; a run of three or
more equal characters other than a newline (``(.)\\1{2,}``) keeps three; accented letters become their
base (a one-to-one code point table); whitespace runs become one space and each text is stripped.
Each step is a few numpy operations over the batch instead of a regular expression call per text.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

CodeArray = npt.NDArray[np.uint32]

SEPARATOR = "\x1e"  # whitespace for ``\\s`` and ``str.split``: no pattern reaches across it
_SEPARATOR_CODE = ord(SEPARATOR)
_SPACE, _DIGIT = 1, 2


def _class_of(char: str) -> int:
    # ``re``'s \s and \d on str patterns are str.isspace and str.isdecimal, character by character.
    return (_SPACE if char.isspace() else 0) | (_DIGIT if char.isdecimal() else 0)


_BMP = 0x10000


@cache
def _bmp_classes() -> npt.NDArray[np.uint8]:
    """The class of every code point of the Basic Multilingual Plane, asked once (about 8 ms): one
    lookup per character then classifies almost every text."""
    return np.array([_class_of(chr(code)) for code in range(_BMP)], dtype=np.uint8)


def _classes(codes: CodeArray) -> npt.NDArray[np.uint8]:
    table = _bmp_classes()
    in_bmp = codes < _BMP
    if in_bmp.all():
        classes: npt.NDArray[np.uint8] = table[codes]
        return classes
    classes = np.zeros(codes.shape[0], dtype=np.uint8)
    classes[in_bmp] = table[codes[in_bmp]]
    others = np.flatnonzero(~in_bmp)  # emoji and other rare characters: ask Python about each once
    distinct, where = np.unique(codes[others], return_inverse=True)
    classes[others] = np.array([_class_of(chr(code)) for code in distinct.tolist()], dtype=np.uint8)[where]
    return classes


def _digit_runs_to_zero(
    codes: CodeArray, classes: npt.NDArray[np.uint8]
) -> tuple[CodeArray, npt.NDArray[np.uint8]]:
    digit = (classes & _DIGIT) != 0
    if not digit.any():
        return codes, classes
    keep = np.ones(codes.shape[0], dtype=bool)
    keep[1:] = ~(digit[1:] & digit[:-1])
    return np.where(digit, np.uint32(ord("0")), codes)[keep], classes[keep]


def _shorten_elongations(
    codes: CodeArray, classes: npt.NDArray[np.uint8]
) -> tuple[CodeArray, npt.NDArray[np.uint8]]:
    equal = codes[1:] == codes[:-1]
    drop = np.zeros(codes.shape[0], dtype=bool)
    drop[3:] = equal[2:] & equal[1:-1] & equal[:-2]
    drop &= codes != ord("\n")
    if not drop.any():
        return codes, classes
    return codes[~drop], classes[~drop]


def _collapse_spaces(codes: CodeArray, classes: npt.NDArray[np.uint8]) -> CodeArray:
    """Each whitespace run becomes one space, or nothing at the start or end of a text."""
    boundary = codes == _SEPARATOR_CODE
    space = ((classes & _SPACE) != 0) & ~boundary
    if not space.any():
        return codes
    size = codes.shape[0]
    first = space.copy()
    first[1:] &= ~space[:-1]
    last = space.copy()
    last[:-1] &= ~space[1:]
    starts, ends = np.flatnonzero(first), np.flatnonzero(last)  # the k-th run is starts[k]..ends[k]
    solid_before = (starts > 0) & ~boundary[np.maximum(starts - 1, 0)]
    solid_after = (ends + 1 < size) & ~boundary[np.minimum(ends + 1, size - 1)]
    kept_runs = starts[solid_before & solid_after]
    keep = ~space
    keep[kept_runs] = True
    codes = codes.copy()
    codes[kept_runs] = ord(" ")
    kept: CodeArray = codes[keep]
    return kept


def normalise_code_points(joined: str, accents: CodeArray | None) -> str:
    """Digits, elongations, accents (``accents[code]`` for codes below its length) and whitespace."""
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    classes = _classes(codes)
    codes, classes = _digit_runs_to_zero(codes, classes)
    codes, classes = _shorten_elongations(codes, classes)
    if accents is not None:
        accented = np.flatnonzero((codes >= 128) & (codes < accents.shape[0]))
        if accented.shape[0]:
            codes = codes.copy()
            codes[accented] = accents[codes[accented]]
    codes = _collapse_spaces(codes, classes)
    return codes.tobytes().decode("utf-32-le")
