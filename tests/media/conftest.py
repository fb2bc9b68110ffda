import pytest

from tests.media import seaweed
from tests.media.fixtures import _english, draft, make_clip, open_contest  # noqa: F401


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """One SeaweedFS for the session, on loopback ephemeral ports; tests make buckets."""
    server = seaweed.start(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    seaweed.stop(server)
