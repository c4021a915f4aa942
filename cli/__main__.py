"""``python -m cli ...`` runs the ``kringwijs`` command (tests and benchmarks use it)."""

import sys

from cli.main import main

sys.exit(main())
