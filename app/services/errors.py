"""Errors services raise; views turn them into form errors or flash messages."""


class ServiceError(Exception):
    """A request that cannot be carried out; the message says why, for a person."""


class ConflictError(ServiceError):
    """Someone else changed the object since it was loaded (optimistic locking)."""
