"""The pure core: each kind's validation and the conditions between questions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clipcontest.questions.enums import QuestionKind
from clipcontest.questions.logic import (
    Invalid,
    QuestionSpec,
    applicable,
    check,
    clean_value,
    matches,
    missing,
)

K = QuestionKind
CHOICES = ("Có", "Không", "Chưa rõ")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (K.SHORT_TEXT, "  0905 123 456 ", "0905 123 456"),
        (K.LONG_TEXT, "Dòng 1\nDòng 2", "Dòng 1\nDòng 2"),
        (K.NUMBER, "12", "12"),
        (K.NUMBER, "3,50", "3.5"),
        (K.NUMBER, 7, "7"),
        (K.DATE, "2026-03-01", "2026-03-01"),
        (K.DATE, dt.date(2025, 7, 1), "2025-07-01"),
        (K.SINGLE_CHOICE, "Không", "Không"),
        (K.MULTIPLE_CHOICE, ["Chưa rõ", "Có"], ["Có", "Chưa rõ"]),
        (K.MULTIPLE_CHOICE, "Có", ["Có"]),
        (K.YES_NO, "yes", True),
        (K.YES_NO, "không", False),
        (K.YES_NO, False, False),
        (K.URL, "https://example.org/kich-ban", "https://example.org/kich-ban"),
        (
            K.FILE,
            {"name": "a.pdf", "size": 10, "type": "application/pdf"},
            {"name": "a.pdf", "size": 10, "type": "application/pdf"},
        ),
        (K.SHORT_TEXT, "   ", None),
        (K.MULTIPLE_CHOICE, [], None),
    ],
)
def test_clean_value_accepts_each_kind(kind, raw, expected):
    assert clean_value(QuestionSpec(id=1, kind=kind, choices=CHOICES), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (K.SHORT_TEXT, "x" * 301, "At most 300 characters."),
        (K.LONG_TEXT, "x" * 5001, "At most 5000 characters."),
        (K.NUMBER, "mười hai", "Enter a number."),
        (K.NUMBER, "Infinity", "Enter a number."),
        (K.DATE, "01/03/2026", "Enter a date as YYYY-MM-DD."),
        (K.SINGLE_CHOICE, "Có lẽ", "Choose one of the options."),
        (K.MULTIPLE_CHOICE, ["Có", "Khác"], "Choose among the options."),
        (K.YES_NO, "maybe", "Answer yes or no."),
        (K.URL, "javascript:alert(1)", "Enter a web address starting with http:// or https://."),
        (K.URL, "ftp://example.org/x", "Enter a web address starting with http:// or https://."),
        (K.FILE, "kich-ban.pdf", "Upload a file."),
    ],
)
def test_clean_value_refuses_wrong_answers(kind, raw, message):
    with pytest.raises(Invalid) as caught:
        clean_value(QuestionSpec(id=1, kind=kind, choices=CHOICES), raw)
    assert str(caught.value) == message


def test_check_requires_asked_required_questions_only_when_complete():
    specs = [
        QuestionSpec(id=1, kind=K.YES_NO, required=True),
        QuestionSpec(id=2, kind=K.SHORT_TEXT, required=True, condition_on=1, condition_value="yes"),
    ]
    assert check(specs, {1: "no"}, complete=True).errors == {}
    assert check(specs, {1: "yes"}, complete=True).errors == {2: "This question must be answered."}
    assert check(specs, {1: "yes"}, complete=False).errors == {}


def test_check_drops_answers_to_questions_not_asked():
    specs = [
        QuestionSpec(id=1, kind=K.SINGLE_CHOICE, choices=CHOICES),
        QuestionSpec(id=2, kind=K.NUMBER, condition_on=1, condition_value="Có"),
    ]
    result = check(specs, {1: "Không", 2: "not a number"}, complete=True)
    assert (result.values, result.errors) == ({1: "Không"}, {})


def test_missing_lists_required_unanswered_asked_questions():
    specs = [
        QuestionSpec(id=1, kind=K.SHORT_TEXT, required=True),
        QuestionSpec(id=2, kind=K.YES_NO),
        QuestionSpec(id=3, kind=K.FILE, required=True, condition_on=2, condition_value="yes"),
    ]
    assert missing(specs, {}) == [1]
    assert missing(specs, {1: "x", 2: True}) == [3]
    assert missing(specs, {1: "x", 2: False}) == []


specs_strategy = st.lists(
    st.tuples(
        st.sampled_from([K.YES_NO, K.SINGLE_CHOICE, K.SHORT_TEXT]),
        st.booleans(),
        st.integers(min_value=0, max_value=20),
        st.sampled_from(["yes", "no", "Có", "Không"]),
    ),
    min_size=1,
    max_size=8,
)


def _specs(raw):
    specs = []
    for i, (kind, has_condition, parent, value) in enumerate(raw, start=1):
        condition = parent % i if has_condition and parent % i else None
        specs.append(
            QuestionSpec(
                id=i,
                kind=kind,
                required=True,
                choices=("Có", "Không") if kind == K.SINGLE_CHOICE else (),
                condition_on=condition,
                condition_value=value if condition else "",
            )
        )
    return specs


answers_strategy = st.dictionaries(
    st.integers(min_value=1, max_value=8), st.sampled_from([True, False, "Có", "Không", None])
)


@settings(deadline=None)
@given(specs_strategy, answers_strategy)
def test_applicable_asks_exactly_the_questions_whose_chain_of_conditions_holds(raw, answers):
    specs = _specs(raw)
    by_id = {s.id: s for s in specs}
    asked = applicable(specs, answers)

    def holds(spec: QuestionSpec) -> bool:
        if spec.condition_on is None:
            return True
        parent = by_id[spec.condition_on]
        return holds(parent) and matches(answers.get(parent.id), spec.condition_value)

    assert asked == {s.id for s in specs if holds(s)}


@settings(deadline=None)
@given(specs_strategy, answers_strategy)
def test_missing_never_names_a_question_that_is_not_asked_or_answered(raw, answers):
    specs = _specs(raw)
    asked = applicable(specs, answers)
    for qid in missing(specs, answers):
        assert qid in asked
        assert answers.get(qid) is None


@settings(deadline=None)
@given(st.lists(st.sampled_from(CHOICES), max_size=6))
def test_multiple_choice_keeps_the_options_order_and_no_duplicates(picked):
    value = clean_value(QuestionSpec(id=1, kind=K.MULTIPLE_CHOICE, choices=CHOICES), picked)
    expected = [c for c in CHOICES if c in picked] or None
    assert value == expected
