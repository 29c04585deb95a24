"""Desktop notifications without Qt (for ``netassist remind run`` from cron).

Linux: org.freedesktop.Notifications.Notify over the session D-Bus (jeepney, already a keyring
dependency). Elsewhere, or without a session bus, the caller is told so and prints instead.
"""

from __future__ import annotations


class NoNotificationService(Exception):
    pass


def send(title: str, body: str, app_name: str = "netassist", timeout_ms: int = -1) -> int:
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as exc:  # pragma: no cover - non-Linux
        raise NoNotificationService("desktop notifications need D-Bus (Linux)") from exc
    addr = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                       interface="org.freedesktop.Notifications")  # fmt: skip
    try:
        conn = open_dbus_connection(bus="SESSION")
    except Exception as exc:
        raise NoNotificationService(f"no session D-Bus ({type(exc).__name__})") from exc
    try:
        msg = new_method_call(addr, "Notify", "susssasa{sv}i",
                              (app_name, 0, "netassist", title, body, [], {}, timeout_ms))  # fmt: skip
        reply = conn.send_and_get_reply(msg, timeout=5)
    except Exception as exc:
        raise NoNotificationService(
            f"no notification daemon answered ({type(exc).__name__})"
        ) from exc
    finally:
        conn.close()
    if reply.header.message_type.name == "error":
        raise NoNotificationService(f"the notification daemon refused: {reply.body}")
    return int(reply.body[0])
