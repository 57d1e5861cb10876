"""The kept conversations of a folder updated in place (`FolderThreads.rearranged` and
`without`) equal the same conversations packed from scratch (`FolderThreads.of`): the
cheap update of a 100k folder must not drift from a full rebuild."""
from __future__ import annotations

import random

import pytest

from mailview.imap.connection import SelectedFolder
from mailview.services.reading.conversations import FolderThreads

SELECTED = SelectedFolder(name="INBOX", readonly=True, uidvalidity=7, exists=0, uidnext=1, highestmodseq=1)


def random_threads(rng: random.Random, messages: int) -> list[list[tuple[int, int]]]:
    uids = list(range(1, messages + 1))
    rng.shuffle(uids)
    threads: list[list[tuple[int, int]]] = []
    while uids:
        size = min(len(uids), rng.choice([1, 1, 1, 2, 3, 5, 12]))
        taken, uids = uids[:size], uids[size:]
        threads.append([(uid, 0 if i == 0 else rng.randint(1, i)) for i, uid in enumerate(taken)])
    return threads


def packed(threads: list[list[tuple[int, int]]]) -> tuple[list[int], bytes, list[int]]:
    folder = FolderThreads.of(threads, selected=SELECTED, source="thread")
    return list(folder.uids), bytes(folder.depths), list(folder.starts)


def state(folder: FolderThreads) -> tuple[list[int], bytes, list[int]]:
    return list(folder.uids), bytes(folder.depths), list(folder.starts)


@pytest.mark.parametrize("seed", range(40))
def test_new_mail_joined_in_place_equals_a_rebuild(seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    threads = random_threads(rng, rng.randint(0, 300))
    kept = FolderThreads.of(threads, selected=SELECTED, source="thread")
    ordered = kept.threads()
    next_uid = len(kept.uids) + 1
    changed: dict[int, list[tuple[int, int]]] = {}
    added: list[list[tuple[int, int]]] = []
    for _ in range(rng.randint(1, 8)):
        if ordered and rng.random() < 0.6:
            index = rng.randrange(len(ordered))
            thread = changed.setdefault(index, list(ordered[index]))
            thread.append((next_uid, 1))
        else:
            added.append([(next_uid, 0)])
        next_uid += 1
    expected = [changed.get(i, t) for i, t in enumerate(ordered)] + added
    assert state(kept.rearranged(changed, added)) == packed(expected)


@pytest.mark.parametrize("seed", range(40))
def test_mail_gone_dropped_in_place_equals_a_rebuild(seed):
    rng = random.Random(1000 + seed)  # noqa: S311 - reproducible test data
    threads = random_threads(rng, rng.randint(1, 300))
    kept = FolderThreads.of(threads, selected=SELECTED, source="thread")
    everything = list(kept.uids)
    gone = set(rng.sample(everything, rng.randint(1, max(1, len(everything) // rng.choice([2, 10, 100])))))
    expected = [[(u, d) for u, d in t if u not in gone] for t in kept.threads()]
    assert state(kept.without(gone)) == packed(expected)


def test_nothing_changed_is_the_same_packing():
    kept = FolderThreads.of(random_threads(random.Random(5), 50), selected=SELECTED, source="thread")  # noqa: S311
    assert state(kept.rearranged({}, [])) == state(kept)
    assert state(kept.without(set())) == state(kept)
