"""Guardrails for the platform: rules.py (one implementation per rule) used by the CrossGuard pack
(pack.py, __main__.py) and by the offline render."""
