"""Standards fixtures: the admin who edits them (the seeded `standard` is the root conftest's)."""
from __future__ import annotations

import pytest


@pytest.fixture
def admin_client(en_client_for, admin_user):
    """The admin, reading the English messages (pytest-django's own admin_client is replaced)."""
    return en_client_for(admin_user)
