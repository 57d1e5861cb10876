"""The pure threading code (mailview/imap/threads.py): RFC 5256's THREAD response parsed, its
base subject, and the REFERENCES algorithm built from headers."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailview.imap.threads import ThreadHeaders, ThreadNode, base_subject, parse_thread_response, thread_groups, thread_messages

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def h(uid: int, mid: str | None, *, refs: str = "", irt: str = "", subject: str = "s", minutes: int | None = None) -> ThreadHeaders:
    return ThreadHeaders(
        uid=uid, message_id=mid, in_reply_to=irt or None, references=refs or None, subject=subject,
        date=T0 + timedelta(minutes=uid if minutes is None else minutes),
    )


def test_the_rfc_example_response_is_parsed_as_a_tree() -> None:
    # RFC 5256: (2)(3 6 (4 23)(44 7 96))
    threads = parse_thread_response([(2,), (3, 6, (4, 23), (44, 7, 96))])
    assert [t.uids() for t in threads] == [[2], [3, 6, 4, 23, 44, 7, 96]]
    walk = threads[1].walk()
    assert dict(walk) == {3: 0, 6: 1, 4: 2, 23: 3, 44: 2, 7: 3, 96: 4}


def test_a_dummy_root_keeps_its_children_together() -> None:
    threads = parse_thread_response([((3,), (5,))])
    assert threads[0].uid is None
    assert threads[0].walk() == [(3, 0), (5, 0)]
    assert thread_groups(threads) == [frozenset({3, 5})]


def test_base_subject_strips_reply_and_forward_markers() -> None:
    assert base_subject("Re: [list] Re:  Hello   world (fwd)") == ("hello world", True)
    assert base_subject("Fwd: hello") == ("hello", True)
    assert base_subject("[fwd: Hello]") == ("hello", True)
    assert base_subject("Hello") == ("hello", False)
    assert base_subject("[list] Hello") == ("hello", False)
    assert base_subject("[only a blob]") == ("[only a blob]", False)
    assert base_subject("") == ("", False)


def test_replies_join_their_parents_and_missing_parents_become_dummies() -> None:
    messages = [
        h(1, "a@x", subject="Plan"),
        h(2, "b@x", refs="<a@x>", subject="Re: Plan"),
        h(3, "c@x", refs="<a@x> <b@x>", subject="Re: Plan"),
        h(4, "d@x", irt="<a@x>", subject="Re: Plan"),
        h(5, "e@x", subject="Other"),
        h(6, "f@x", refs="<gone@x>", subject="Re: Lost"),
        h(7, "g@x", refs="<gone@x>", subject="Re: Lost"),
    ]
    threads = thread_messages(messages)
    assert sorted(map(sorted, thread_groups(threads))) == [[1, 2, 3, 4], [5], [6, 7]]
    plan = next(t for t in threads if t.uid == 1)
    assert dict(plan.walk()) == {1: 0, 2: 1, 3: 2, 4: 1}


def test_subject_merging_is_step_five_and_can_be_left_out() -> None:
    messages = [h(1, "a@x", subject="Lunch"), h(2, "b@x", subject="Re: Lunch"), h(3, "c@x", subject="Lunch")]
    assert sorted(map(sorted, thread_groups(thread_messages(messages)))) == [[1, 2, 3]]
    assert sorted(map(sorted, thread_groups(thread_messages(messages, merge_subjects=False)))) == [[1], [2], [3]]


def test_loops_duplicates_and_missing_ids_do_not_break_it() -> None:
    messages = [
        h(1, "a@x", refs="<b@x>", subject="one"),
        h(2, "b@x", refs="<a@x>", subject="two"),  # a loop
        h(3, "a@x", subject="three"),  # a duplicate id: its own message
        h(4, None, subject="four"),
        h(5, "e@x", refs="<e@x>", subject="five"),  # refers to itself
    ]
    threads = thread_messages(messages)
    assert sorted(u for t in threads for u in t.uids()) == [1, 2, 3, 4, 5]


def test_a_thread_node_walk_is_depth_first() -> None:
    tree = ThreadNode(1, [ThreadNode(2, [ThreadNode(3)]), ThreadNode(4)])
    assert tree.walk() == [(1, 0), (2, 1), (3, 2), (4, 1)]
