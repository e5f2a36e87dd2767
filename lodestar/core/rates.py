"""Rates as settings write them ("600/min", "100/s")."""


def parse_rate(rate: str) -> tuple[int, int]:
    """("600/min") → (600, 60): the calls allowed and the window in seconds."""
    count, _sep, period = rate.partition("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
