"""``python -m feedlib``: the same as the ``feedlib`` command."""

from .cli import main

raise SystemExit(main())
