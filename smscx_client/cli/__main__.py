"""``python -m smscx_client.cli``: the ``smscx`` command."""

import sys

from smscx_client.cli import main

sys.exit(main())
