"""The one exception type for bad user input (parameters, names, files, data)."""


class MemristiveError(ValueError):
    """A problem with what the user asked for; the CLI prints it on one line, exit 2.

    Examples:
        >>> from memristive.devices import get_preset
        >>> try:
        ...     get_preset("no-such-device")
        ... except MemristiveError as error:
        ...     print(str(error)[:40])
        unknown device preset 'no-such-device'; 
    """


def require(condition: bool, message: str) -> None:
    """Raise :class:`MemristiveError` with ``message`` unless ``condition`` holds (parameter validation)."""
    if not condition:
        raise MemristiveError(message)


def require_positive(obj: object, *names: str) -> None:
    """Validate that each named attribute of ``obj`` is > 0 (the error names the first that is not)."""
    for name in names:
        require(getattr(obj, name) > 0, f"{name}={getattr(obj, name)} must be > 0")


def require_non_negative(obj: object, *names: str) -> None:
    """Validate that each named attribute of ``obj`` is >= 0 (the error names the first that is not)."""
    for name in names:
        require(getattr(obj, name) >= 0, f"{name}={getattr(obj, name)} must be >= 0")
