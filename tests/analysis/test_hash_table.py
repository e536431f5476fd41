"""The hash table behind the featuriser's lookups: every key found with its value, nothing else."""

from __future__ import annotations

import numpy as np

from vigie.analysis.classifiers.compiled import IntTable


def test_lookup_gives_each_keys_value_and_minus_one_for_the_others() -> None:
    rng = np.random.default_rng(11)
    keys = rng.permutation(np.unique(rng.integers(0, 2**63, size=6_000, dtype=np.uint64)))
    table = IntTable(keys, np.arange(keys.shape[0], dtype=np.int64))
    unknown = rng.integers(0, 2**63, size=3_000, dtype=np.uint64)
    unknown = unknown[~np.isin(unknown, keys)]
    queries = rng.permutation(np.concatenate([keys, keys[:500], unknown]))
    position = {int(key): i for i, key in enumerate(keys.tolist())}
    expected = [position.get(int(query), -1) for query in queries.tolist()]
    assert table.lookup(queries).tolist() == expected
    empty = IntTable(keys[:0], np.zeros(0, dtype=np.int64))
    assert empty.lookup(queries[:3]).tolist() == [-1, -1, -1]
