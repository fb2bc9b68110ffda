"""compute_results reads scores exactly and builds the canonical JSON only on demand."""

from __future__ import annotations

import pytest

from clipcontest.results import canonical, domain
from tests.judging.factories import make_finalist, open_round, submit

pytestmark = pytest.mark.django_db


def test_compute_results_builds_the_canonical_json_only_when_asked(world):
    entry = make_finalist(world.contest, world.team_a, "Tác phẩm")
    submit(open_round(world.contest, world.organizer), world.juror, entry, 8)
    result = domain.compute_results(contest=world.contest)
    assert "text" not in vars(result) and "sha256" not in vars(result)
    text = canonical.dumps(canonical.document(result.inputs, result.ranking, result.allocation))
    assert (result.text, result.sha256) == (text, canonical.sha256(text))
    assert result.document == canonical.document(result.inputs, result.ranking, result.allocation)


def test_published_sha256_matches_a_fresh_computation(world):
    entry = make_finalist(world.contest, world.team_a, "Tác phẩm")
    submit(open_round(world.contest, world.organizer), world.juror, entry, 8)
    publication = domain.publish_results(contest=world.contest, by=world.organizer)
    assert domain.compute_results(contest=world.contest).sha256 == publication.sha256


def test_scores_are_read_as_exact_hundredths(world):
    entry = make_finalist(world.contest, world.team_a, "Tác phẩm")
    submit(open_round(world.contest, world.organizer), world.juror, entry, [7.35, 0.01, 9.99, 10])
    result = domain.compute_results(contest=world.contest)
    assert [card.scores for card in result.inputs.cards] == [(735, 1, 999, 1000)]
    assert result.ranking.standings[0].criterion_means == (7.35, 0.01, 9.99, 10.0)


def test_a_card_with_the_wrong_number_of_scores_is_refused():
    from clipcontest.results.compute import Card, CriterionSpec, Finalist, Method, rank

    criteria = [CriterionSpec(1, "a", 500), CriterionSpec(2, "b", 500)]
    with pytest.raises(ValueError, match="j/e: 1 scores, 2 criteria"):
        rank(
            criteria=criteria,
            cards=[Card("j", "e", (500,))],
            finalists=[Finalist("e", "/1/")],
            method=Method(),
        )
