from tests.media.fixtures import _english, draft, open_contest  # noqa: F401
from tests.screening.conftest import at_commune, screening  # noqa: F401
