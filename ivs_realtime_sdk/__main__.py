"""``python -m ivs_realtime_sdk``: the same as the ``ivs-realtime-sdk`` command."""

import sys

from .cli import main

sys.exit(main())
