"""A small org.kde.StatusNotifierWatcher for the tray tests (jeepney only).

Debian ships no stand-alone watcher; the desktop's panel normally owns this name. With it on the
session bus, Qt (xcb platform) uses its D-Bus tray: ``QSystemTrayIcon.isSystemTrayAvailable()``
is True and ``showMessage`` calls org.freedesktop.Notifications.Notify, which a real
notification daemon shows. Prints ``ready`` once the name is owned, then one line per item
registration. Run: ``python sni_watcher.py`` inside ``dbus-run-session``.
"""

from __future__ import annotations

import sys
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    Message,
    MessageType,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
INTROSPECTION = f"""<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="{NAME}">
  <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
  <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
  <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
  <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
  <property name="ProtocolVersion" type="i" access="read"/>
  <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
  <signal name="StatusNotifierHostRegistered"/>
 </interface>
 <interface name="org.freedesktop.DBus.Properties">
  <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/>
   <arg type="v" direction="out"/></method>
  <method name="GetAll"><arg type="s" direction="in"/><arg type="a{{sv}}" direction="out"/></method>
 </interface>
 <interface name="org.freedesktop.DBus.Introspectable">
  <method name="Introspect"><arg type="s" direction="out"/></method>
 </interface>
</node>"""
UNKNOWN = "org.freedesktop.DBus.Error.UnknownMethod"


class Watcher:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.signals = DBusAddress(PATH, interface=NAME)

    def properties(self) -> dict[str, tuple[str, Any]]:
        return {
            "RegisteredStatusNotifierItems": ("as", list(self.items)),
            "IsStatusNotifierHostRegistered": ("b", True),  # we pretend a panel shows items
            "ProtocolVersion": ("i", 0),
        }

    def handle(self, msg: Message) -> list[Message]:
        """The replies (and signals) for one incoming method call."""
        member = msg.header.fields.get(HeaderFields.member)
        if member == "Introspect":
            return [new_method_return(msg, "s", (INTROSPECTION,))]
        if member == "Get":
            prop = self.properties().get(msg.body[1])
            if prop is None:
                err = "org.freedesktop.DBus.Error.UnknownProperty"
                return [new_error(msg, err, "s", (msg.body[1],))]
            return [new_method_return(msg, "v", (prop,))]
        if member == "GetAll":
            return [new_method_return(msg, "a{sv}", (self.properties(),))]
        if member == "RegisterStatusNotifierItem":
            # Qt passes its unique bus name or an object path; either identifies the item
            service = msg.body[0] or str(msg.header.fields.get(HeaderFields.sender))
            self.items.append(service)
            print(f"item {service}", flush=True)
            return [
                new_method_return(msg),
                new_signal(self.signals, "StatusNotifierItemRegistered", "s", (service,)),
            ]
        if member == "RegisterStatusNotifierHost":
            return [new_method_return(msg)]
        return [new_error(msg, UNKNOWN, "s", (f"{member} is not implemented",))]


def main() -> int:
    conn = open_dbus_connection("SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, 4))  # 4: do not queue
    if reply.body != (1,):  # 1: primary owner
        print(f"could not own {NAME}: {reply.body}", file=sys.stderr, flush=True)
        return 1
    print("ready", flush=True)
    watcher = Watcher()
    while True:
        msg = conn.receive()
        if msg.header.message_type == MessageType.method_call:
            for out in watcher.handle(msg):
                conn.send(out)


if __name__ == "__main__":
    raise SystemExit(main())
