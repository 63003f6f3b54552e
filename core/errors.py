class DomainError(Exception):
    """A rule said no. The message is Vietnamese and is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
