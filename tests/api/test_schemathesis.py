"""A bounded schemathesis run of every API operation against a live test server, as a
visitor, as a team member and as an organizer (API tokens): no server error, only
documented statuses, and bodies that match the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from clipcontest.accounts.domain import create_api_token

from ..voting.factories import make_entry, open_voting

pytestmark = [pytest.mark.slow]

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
#: Examples per operation and caller: the bound that keeps the run to a few minutes.
EXAMPLES = 12


def fuzz_operation(operation: Any, call: Callable[[Any], Any], statuses: set[int]) -> list[str]:
    """Up to EXAMPLES generated requests; each failed check is recorded, not raised, so
    every operation gets its share of the run (and no time goes into shrinking)."""
    failures: list[str] = []

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = call(case)
        statuses.add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as exc:
            found = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
            failures.extend(
                f"{operation.label} → {response.status_code}: {failure.title}"
                f" ({response.text[:120]!r})"
                for failure in found
            )

    run()
    return sorted(set(failures))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("caller", ["anonymous", "member_a", "organizer"])
def test_api_conforms_to_its_schema(live_server, world, caller):
    open_voting(world.contest)
    make_entry(world.contest, world.team_a, "Xã Nghĩa Điền không dùng tiền mặt")
    headers = {}
    if caller != "anonymous":
        _token, secret = create_api_token(user=world.user(caller), name="schemathesis")
        headers = {"Authorization": f"Bearer {secret}"}
    # The server's first answer imports every view: give it time, once.
    raw = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=120).json()
    schema = schemathesis.openapi.from_dict(raw)

    def call(case: Any) -> Any:
        return case.call(base_url=live_server.url, headers=headers, timeout=30)

    failures: list[str] = []
    seen: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        seen[operation.label] = set()
        failures.extend(fuzz_operation(operation, call, seen[operation.label]))

    assert len(seen) == len([m for ops in raw["paths"].values() for m in ops])
    # The callers are who they should be: the token is used, the visitor is refused.
    assert seen["GET /api/v1/me"] == ({401} if caller == "anonymous" else {200})
    assert failures == []
