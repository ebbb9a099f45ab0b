"""The one exception type for bad user input (parameters, names, files, data)."""


class MemristiveError(ValueError):
    """A problem with what the user asked for; the CLI prints it on one line, exit 2."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`MemristiveError` with ``message`` unless ``condition`` holds (parameter validation)."""
    if not condition:
        raise MemristiveError(message)
