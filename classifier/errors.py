"""The package's exception types: callers catch ClassifierError and nothing else."""

from __future__ import annotations


class ClassifierError(Exception):
    """Base class of every error this package raises on purpose."""

    #: Exit code the CLI uses for this kind of error (documented in docs/reliability.md).
    exit_code = 1


class InputError(ClassifierError):
    """The text or file given to label cannot be read."""

    exit_code = 3


class DataError(ClassifierError):
    """Labelled data is malformed: unknown labels, empty texts, conflicts."""

    exit_code = 4


class RuleError(ClassifierError):
    """A rule file is invalid: schema, pattern, label, weight or duplicate id."""

    exit_code = 5


class ModelError(ClassifierError):
    """A model directory is missing, corrupted, tampered with or of a newer format."""

    exit_code = 6


class MissingExtraError(ClassifierError):
    """A model or command needs an optional extra that is not installed (the message names the install)."""

    exit_code = 7


class DecodingWarning(UserWarning):
    """The input was not valid UTF-8; undecodable bytes were replaced with U+FFFD."""
