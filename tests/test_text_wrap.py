"""The text reporter's fast line wrapping gives exactly what textwrap.fill gives."""

import random
import textwrap

from hypothesis import given, settings, strategies as st

from compatlint.reporters.text import _wrap

WORDS = st.text(alphabet="abcdefgh.,:;()'`=<>\u00e9\u00a0-", min_size=0, max_size=130)


def reference(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False)


@settings(max_examples=400, derandomize=True)
@given(st.lists(WORDS, max_size=40), st.sampled_from([" ", "  ", "\t", "\n", " \n "]), st.sampled_from(["", "  ", "    "]))
def test_wrap_equals_textwrap(words, joiner, indent):
    text = joiner.join(words)
    assert _wrap(text, indent) == reference(text, indent)


def test_wrap_on_real_message_shapes():
    rng = random.Random(7)
    vocabulary = ["pyz_table_1.col_0", "is", "converted", "with", "TYPE", "TEXT", "USING", "NULL,", "x" * 120, "a"]
    for _ in range(2000):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 60)))
        assert _wrap(text) == reference(text)
