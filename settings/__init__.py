"""Stack settings: parse, default and validate a stack's config before anything is created."""

from .loader import Settings, load_settings
from .problems import NAMESPACE, Problem, SettingsError

__all__ = ["NAMESPACE", "Problem", "Settings", "SettingsError", "load_settings"]
