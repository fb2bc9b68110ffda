from tests.screening.conftest import at_commune, screening  # noqa: F401
