"""Typed readers for settings from the environment that fail loudly on bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return _MISSING
    return value


def env_str(name: str, default: str | None) -> str:
    value = _raw(name, default)
    return default if value is _MISSING else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, default)
    if value is _MISSING:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    value = _raw(name, default)
    if value is _MISSING:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name, default)
    if value is _MISSING:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
