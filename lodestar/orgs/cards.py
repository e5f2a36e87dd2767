"""Read models of people and groups as pages draw them: a person's avatar and name, a group's link.
Built from ``values()`` rows, so that lists of many goals do not load Membership instances."""

from dataclasses import dataclass


@dataclass(slots=True)
class Person:
    id: int
    full_name: str
    email: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def initials(self) -> str:
        parts = self.full_name.split()
        if not parts:
            return self.email[:1].upper()
        return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()


@dataclass(slots=True)
class GroupRef:
    id: int
    name: str

    @property
    def pk(self) -> int:
        return self.id
