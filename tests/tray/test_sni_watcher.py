"""The test StatusNotifierWatcher's replies, without a bus (the real run is test_tray_real)."""

from __future__ import annotations

import pytest

pytest.importorskip("jeepney")

from jeepney import DBusAddress, MessageType, new_method_call  # noqa: E402

from tests.tray.sni_watcher import NAME, PATH, Watcher  # noqa: E402

ADDR = DBusAddress(PATH, bus_name=NAME, interface=NAME)
PROPS = DBusAddress(PATH, bus_name=NAME, interface="org.freedesktop.DBus.Properties")


def test_registering_an_item_is_answered_announced_and_listed() -> None:
    w = Watcher()
    call = new_method_call(ADDR, "RegisterStatusNotifierItem", "s", (":1.42",))
    reply, signal = w.handle(call)
    assert reply.header.message_type == MessageType.method_return
    assert signal.header.message_type == MessageType.signal and signal.body == (":1.42",)
    [got] = w.handle(new_method_call(PROPS, "GetAll", "s", (NAME,)))
    assert got.body[0]["RegisteredStatusNotifierItems"] == ("as", [":1.42"])
    assert got.body[0]["IsStatusNotifierHostRegistered"] == ("b", True)


def test_unknown_calls_get_errors_not_silence() -> None:
    w = Watcher()
    [err] = w.handle(new_method_call(ADDR, "Frobnicate"))
    assert err.header.message_type == MessageType.error
    [err] = w.handle(new_method_call(PROPS, "Get", "ss", (NAME, "Nope")))
    assert err.header.message_type == MessageType.error
    [intro] = w.handle(
        new_method_call(
            DBusAddress(PATH, NAME, "org.freedesktop.DBus.Introspectable"), "Introspect"
        )
    )
    assert "RegisterStatusNotifierItem" in intro.body[0]
