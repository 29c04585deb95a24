"""Dialogs: settings, about."""
