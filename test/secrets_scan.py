"""The suite's known test secrets and the scan for them (used by ``conftest.py`` and the secrets tests).

Kept out of ``conftest.py`` so that tests can import it: every ``conftest.py`` outside a package is
imported as the module ``conftest``, so ``from conftest import ...`` may find another folder's one.
"""

from __future__ import annotations

import re
from typing import Any

TEST_KEY = "test-key-0123456789abcdef"
KNOWN_SECRETS = [TEST_KEY, "hostile-test-key-000", "prop-test-key-123456", "sandbox-api-key", "sandbox-app-secret"]
_BEARER = re.compile(r"Bearer [A-Za-z0-9._~+/=-]{12,}")


def leaked_secrets(texts: Any) -> list:
    """Known secrets (or unmasked bearer tokens) found in ``texts``."""
    found = []
    for text in texts:
        for secret in KNOWN_SECRETS:
            if secret in text:
                found.append((secret[:4] + "...", text[:120]))
        if _BEARER.search(text):
            found.append(("Bearer ...", text[:120]))
    return found
