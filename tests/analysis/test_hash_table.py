"""The batch hash table behind the featuriser's lookups: every key found at its position, nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from vigie.analysis.classifiers.hash_table import HashIndex


@pytest.mark.parametrize("with_priority", [False, True])
def test_lookup_gives_each_keys_position_and_minus_one_for_the_others(with_priority: bool) -> None:
    rng = np.random.default_rng(11)
    keys = rng.permutation(np.unique(rng.integers(0, 2**63, size=6_000, dtype=np.uint64)))
    priority = rng.random(keys.shape[0]) if with_priority else None
    index = HashIndex(keys, priority)
    assert index.max_bucket > 1  # shared buckets exercise the later passes
    unknown = rng.integers(0, 2**63, size=3_000, dtype=np.uint64)
    unknown = unknown[~np.isin(unknown, keys)]
    queries = rng.permutation(np.concatenate([keys, keys[:500], unknown]))
    position = {int(key): i for i, key in enumerate(keys.tolist())}
    expected = [position.get(int(query), -1) for query in queries.tolist()]
    assert index.lookup(queries).tolist() == expected
    assert HashIndex(keys[:0]).lookup(queries[:3]).tolist() == [-1, -1, -1]
