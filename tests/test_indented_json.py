"""The report writer's JSON is `json.dumps(value, indent=2)` byte for byte."""

import json
import math

from hypothesis import given, settings, strategies as st

from compatlint.reporters.indented_json import dumps

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_values)
def test_same_text_as_the_standard_library(value):
    assert dumps(value) == json.dumps(value, indent=2)


def test_unusual_keys_and_values_are_left_to_the_standard_library():
    value = {1: "one", None: [math.inf], True: {"nested": -math.inf}}
    assert dumps(value) == json.dumps(value, indent=2)
    with_set = {"a": frozenset()}
    try:
        json.dumps(with_set, indent=2)
    except TypeError as expected:
        try:
            dumps(with_set)
        except TypeError as raised:
            assert str(raised) == str(expected)
        else:
            raise AssertionError("a value json refuses was written")


def test_strings_are_escaped_like_json():
    value = {"name": '<script>"\u2028\x00é', "empty": [], "none": {}}
    text = dumps(value)
    assert text == json.dumps(value, indent=2)
    assert json.loads(text) == value
