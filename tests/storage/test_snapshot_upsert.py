"""Concurrent first use of a content item stores it once and never fails (SQLite and PostgreSQL)."""

import threading

from interview_engine.domain import ContentSnapshot


def test_save_snapshot_is_an_upsert_under_concurrent_first_use(store):
    snapshot = ContentSnapshot("coding_sets", "two-sum", "1.0.0", {"statement": "x"})
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def first_use() -> None:
        try:
            start.wait()
            store.save_snapshot(snapshot)
        except BaseException as exc:  # any failure fails the test
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.get_snapshot("coding_sets", "two-sum", "1.0.0") == snapshot
    store.save_snapshot(ContentSnapshot("coding_sets", "two-sum", "1.0.0", {"statement": "changed"}))
    assert store.get_snapshot("coding_sets", "two-sum", "1.0.0") == snapshot  # the first one used is kept
