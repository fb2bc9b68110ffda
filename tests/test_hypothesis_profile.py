from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_hypothesis_profile_default_has_no_deadline():
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


@settings(max_examples=5)
@given(st.integers())
def _decorated_with_partial_settings(n: int) -> None:
    pass


@given(st.integers())
def _decorated_without_settings(n: int) -> None:
    pass


def test_hypothesis_profile_inherited_by_partial_settings_has_no_deadline():
    inherited = _decorated_with_partial_settings._hypothesis_internal_use_settings  # type: ignore[attr-defined]
    plain = _decorated_without_settings._hypothesis_internal_use_settings  # type: ignore[attr-defined]
    assert (inherited.deadline, inherited.max_examples) == (None, 5)
    assert plain.deadline is None
