"""The cyclic collector is paused around imports and comes back as it was."""

from __future__ import annotations

import gc
import threading

from netassist.core.gcpause import gc_paused


def test_paused_inside_and_restored_after_nested_and_concurrent_uses() -> None:
    assert gc.isenabled()
    started, release = threading.Event(), threading.Event()

    def other_job() -> None:
        with gc_paused():
            started.set()
            release.wait(5)

    t = threading.Thread(target=other_job)
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
        t.start()
        started.wait(5)
    assert not gc.isenabled()  # the other job still runs
    release.set()
    t.join()
    assert gc.isenabled()


def test_an_error_inside_restores_it_and_a_disabled_collector_stays_off() -> None:
    try:
        with gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
