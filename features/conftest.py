import pytest

from tests.support import fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Scenarios run on both databases, through the engine's use cases."""
    return fresh_database(request, request.param, tmp_path)
