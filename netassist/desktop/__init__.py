"""Qt-free desktop integration: notifications over D-Bus, autostart entries."""
