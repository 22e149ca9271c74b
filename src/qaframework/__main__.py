"""``python -m qaframework``: the ``qaframework`` command line, for when its script is not on
``PATH`` (a virtual environment that is not activated, ``pipx run``, a notebook's ``!`` line).
"""

from __future__ import annotations

import sys

from qaframework.cli import main

if __name__ == "__main__":
    sys.exit(main())
