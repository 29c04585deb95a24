"""Look at a tray item the way a panel does (jeepney): its StatusNotifierItem properties and its
com.canonical.dbusmenu menu, and click a menu entry. Used by scenario.py from outside the app."""

from __future__ import annotations

from typing import Any

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection

SNI = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"


def _call(conn: DBusConnection, addr: DBusAddress, method: str, sig: str, body: tuple) -> Any:
    reply = conn.send_and_get_reply(new_method_call(addr, method, sig, body), timeout=5)
    if reply.header.message_type == MessageType.error:
        raise RuntimeError(f"{method} failed: {reply.body}")
    return reply.body


def item_properties(conn: DBusConnection, service: str) -> dict[str, Any]:
    props = DBusAddress("/StatusNotifierItem", service, "org.freedesktop.DBus.Properties")
    return {k: v for k, (_sig, v) in _call(conn, props, "GetAll", "s", (SNI,))[0].items()}


def _walk(node: Any, out: list[dict[str, Any]], depth: int) -> None:
    nid, props, children = node
    label = props.get("label", ("s", ""))[1].replace("&&", "\0").replace("&", "")
    out.append({"id": nid, "label": label.replace("\0", "&"), "depth": depth,
                "enabled": props.get("enabled", ("b", True))[1],
                "separator": props.get("type", ("s", ""))[1] == "separator"})  # fmt: skip
    for _sig, child in children:
        _walk(child, out, depth + 1)


def menu_entries(conn: DBusConnection, service: str, path: str) -> list[dict[str, Any]]:
    """The whole menu, depth-first: id, label (mnemonic ampersands removed), depth."""
    menu = DBusAddress(path, service, MENU)
    _call(conn, menu, "AboutToShow", "i", (0,))  # what a panel does before showing it
    _revision, layout = _call(conn, menu, "GetLayout", "iias", (0, -1, []))
    out: list[dict[str, Any]] = []
    _walk(layout, out, 0)
    return out[1:]  # the root has no label


def click(conn: DBusConnection, service: str, path: str, item_id: int) -> None:
    menu = DBusAddress(path, service, MENU)
    conn.send(new_method_call(menu, "Event", "isvu", (item_id, "clicked", ("s", ""), 0)))
