"""``python -m chaos.proxy``: see ``chaos.proxy.cli``."""

import sys

from chaos.proxy.cli import main

sys.exit(main())
