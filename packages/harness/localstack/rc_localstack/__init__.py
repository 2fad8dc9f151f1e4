"""Rotation Console's test harness for LocalStack: see plugins.py."""
