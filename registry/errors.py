"""Domain errors raised by services. They carry an untranslated message (a msgid) and know no HTTP."""

from registry.choices import N_


class RegistryError(Exception):
    """Base class; `message` is a msgid with %(name)s placeholders filled from `params`."""

    message = N_("The request could not be completed.")

    def __init__(self, message: str | None = None, /, **params: object):
        super().__init__(message or self.message)
        if message:
            self.message = message
        self.params = params


class BadRequest(RegistryError):
    """A request the registry cannot read: a body that is not a JSON object, a query parameter out of range."""

    message = N_("The request is not valid.")


class NotFound(RegistryError):
    message = N_("Not found.")


class Forbidden(RegistryError):
    message = N_("You are not allowed to do this.")


class Conflict(RegistryError):
    message = N_("This conflicts with the current state; reload and try again.")


class FieldProblem:
    """One field's problem: `field` is a dotted path, `message` a msgid."""

    __slots__ = ("field", "message", "params")

    def __init__(self, field: str, message: str, **params: object):
        self.field, self.message, self.params = field, message, params


class Invalid(RegistryError):
    """Input that breaks a rule; `problems` name the fields."""

    message = N_("Some fields are not valid.")

    def __init__(self, problems: list[FieldProblem], message: str | None = None, /, **params: object):
        super().__init__(message, **params)
        self.problems = problems
