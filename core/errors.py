class DomainError(Exception):
    """A rule said no. The message is Vietnamese and is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def each(self) -> list["DomainError"]:
        """Every rule that said no: this one alone, or each one of a `DomainErrors`."""
        return [self]


class DomainErrors(DomainError):
    """Several rules said no at once, each about its own field. A form or an import row shows them all,
    so the user fixes a record once instead of once per rule."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(" ".join(e.message for e in errors), errors[0].field)
        self.errors = list(errors)

    def each(self) -> list[DomainError]:
        return self.errors

    @classmethod
    def raise_any(cls, errors: list[DomainError]) -> None:
        """Raise the one error, or all of them together; nothing if there are none."""
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise cls(errors)
