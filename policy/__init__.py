"""Guardrails for the platform: one implementation per rule (*_rules.py, registered by rules.py) used by the
CrossGuard pack (pack.py, __main__.py) and by the offline render."""
