"""``python -m convdoc``: the same command as the ``convdoc`` script (see :mod:`convdoc.cli`)."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
