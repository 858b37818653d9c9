"""Declarative checks of an estimator's hyper-parameters.

Each estimator lists what each of its parameters may be, once, as a class attribute::

    class SVC(ClassifierMixin, BaseEstimator):
        _parameter_rules = {
            "C": real(gt=0),
            "kernel": one_of("linear", "poly", "rbf", "sigmoid"),
            "max_depth": [None, integer(ge=1)],  # a list: any one of these will do
        }

and its ``fit`` starts with ``check_params(self)``. Every bad value then gets an error in the
same words, naming the estimator, the parameter, what is allowed and what was given::

    SVC parameter C must be a number > 0, got -1.

This is scikit-learn's idea (``_parameter_constraints``) in a few lines of our own; its
private API is not imported. Checks that need the data (``n_clusters <= n_samples``) or
compare two parameters stay in ``fit``, where the data is known.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["InvalidParameterError", "Rule", "check_params", "integer", "one_of", "real"]


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter has a value its estimator does not accept.

    A ``ValueError`` (a value out of range) and a ``TypeError`` (a value of the wrong type)
    at once, as in scikit-learn, so code that catches either keeps working.
    """


class Rule:
    """A set of allowed values: a test and the words that describe it.

    Parameters
    ----------
    description : str
        What the allowed values are, completing "C must be ...", e.g. ``"a number > 0"``.
    test : callable
        ``test(value) -> bool``, True for an allowed value.

    Examples
    --------
    >>> sizes = Rule("a tuple of ints >= 1", lambda v: all(isinstance(h, int) for h in v))
    >>> sizes.accepts((10, 5)), str(sizes)
    (True, 'a tuple of ints >= 1')
    """

    def __init__(self, description, test):
        self.description = description
        self.test = test

    def accepts(self, value):
        """Tell whether ``value`` is allowed."""
        return bool(self.test(value))

    def __str__(self):
        return self.description

    def __repr__(self):
        return f"Rule({self.description!r})"


def _bounds(ge, gt, le, lt):
    """Build the test and the words for up to one lower and one upper bound."""
    if ge is not None and gt is not None or le is not None and lt is not None:
        raise ValueError("Give at most one lower bound (ge or gt) and one upper (le or lt).")
    low, low_open = (gt, True) if gt is not None else (ge, False)
    high, high_open = (lt, True) if lt is not None else (le, False)

    def within(value):
        above = low is None or (value > low if low_open else value >= low)
        below = high is None or (value < high if high_open else value <= high)
        return above and below

    if low is not None and high is not None:
        words = f" in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
    elif low is not None:
        words = f" {'>' if low_open else '>='} {low}"
    elif high is not None:
        words = f" {'<' if high_open else '<='} {high}"
    else:
        words = ""
    return within, words


def integer(*, ge=None, gt=None, le=None, lt=None):
    """Make a rule that accepts an int (Python or NumPy, not a bool) within the given bounds.

    Parameters
    ----------
    ge, gt, le, lt : number or None
        Bounds: greater or equal, greater than, less or equal, less than.

    Returns
    -------
    Rule

    Examples
    --------
    >>> str(integer(ge=1)), integer(ge=1).accepts(0), integer(ge=1).accepts(1.0)
    ('an int >= 1', False, False)
    """
    within, words = _bounds(ge, gt, le, lt)

    def test(value):
        is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
        return is_int and within(value)

    return Rule("an int" + words, test)


def real(*, ge=None, gt=None, le=None, lt=None, allow_int=True):
    """Make a rule that accepts a real number (int or float, not a bool) within the bounds.

    NaN is never accepted. Without an upper bound, infinity is allowed (``C=np.inf`` means no
    penalty); pass ``lt=np.inf`` to refuse it.

    Parameters
    ----------
    ge, gt, le, lt : number or None
        Bounds: greater or equal, greater than, less or equal, less than.
    allow_int : bool, default=True
        False where an int means something else: ``min_samples_leaf=1`` is one sample,
        ``min_samples_leaf=1.0`` all of them, so the fraction's rule must refuse the int.

    Returns
    -------
    Rule

    Examples
    --------
    >>> str(real(gt=0, le=1)), real(gt=0, le=1).accepts(0.5), real(gt=0, le=1).accepts(0)
    ('a number in (0, 1]', True, False)
    >>> str(real(gt=0, le=1, allow_int=False)), real(gt=0, le=1, allow_int=False).accepts(1)
    ('a float in (0, 1]', False)
    """
    within, words = _bounds(ge, gt, le, lt)
    refused = bool | np.bool_ if allow_int else bool | np.bool_ | numbers.Integral

    def test(value):
        is_real = isinstance(value, numbers.Real) and not isinstance(value, refused)
        return is_real and value == value and within(value)  # NaN is not equal to itself

    return Rule(("a number" if allow_int else "a float") + words, test)


def _same(value, option):
    """``value`` is ``option``: equal strings, or the same bool, or both None."""
    if isinstance(option, str):
        return isinstance(value, str) and value == option
    if isinstance(option, bool):
        return isinstance(value, bool | np.bool_) and bool(value) == option
    return value is option


def one_of(*options):
    """Exactly one of the given strings, bools or None.

    Parameters
    ----------
    *options : str, bool or None

    Returns
    -------
    Rule

    Examples
    --------
    >>> str(one_of("sgd", "adam")), str(one_of("l1", "l2", "elasticnet"))
    ("'sgd' or 'adam'", "one of 'l1', 'l2', 'elasticnet'")
    """
    names = [repr(option) for option in options]
    if len(names) <= 2:
        description = " or ".join(names)
    else:
        description = "one of " + ", ".join(names)
    return Rule(description, lambda value: any(_same(value, option) for option in options))


def _alternatives(rules):
    """List a parameter's rules: one rule, or several of which any one will do."""
    rules = list(rules) if isinstance(rules, list | tuple) else [rules]
    return [one_of(None) if rule is None else rule for rule in rules]


def check_params(estimator, rules=None):
    """Raise :class:`InvalidParameterError` for the first parameter that breaks its rules.

    Parameters
    ----------
    estimator : object
        Its parameters are read as attributes (``estimator.C``).
    rules : dict or None, default=None
        ``{parameter name: rule or list of rules}``, where a list means any one of them
        will do and ``None`` in it allows None. Defaults to the estimator's
        ``_parameter_rules``. Parameters not listed are not checked.

    Raises
    ------
    InvalidParameterError
        "<Estimator> parameter <name> must be <what is allowed>, got <value>."

    Examples
    --------
    >>> class Model:
    ...     _parameter_rules = {"C": real(gt=0), "max_depth": [None, integer(ge=1)]}
    ...     C, max_depth = 1.0, 0
    >>> try:
    ...     check_params(Model())
    ... except InvalidParameterError as error:
    ...     print(error)
    Model parameter max_depth must be None or an int >= 1, got 0.
    """
    rules = type(estimator)._parameter_rules if rules is None else rules
    owner = type(estimator).__name__
    for name, allowed in rules.items():
        value = getattr(estimator, name)
        alternatives = _alternatives(allowed)
        if not any(rule.accepts(value) for rule in alternatives):
            words = " or ".join(str(rule) for rule in alternatives)
            raise InvalidParameterError(f"{owner} parameter {name} must be {words}, got {value!r}.")
