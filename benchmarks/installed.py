"""The program as a user has it installed: its modules compiled to bytecode, as pip does.

A development checkout run with PYTHONDONTWRITEBYTECODE=1 (as on these machines) compiles every
module of the package at each start, about 25 ms that an installed copy never pays; Textual,
installed by pip, comes compiled. Benchmarks call this first so both sides start alike.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

import reader


def compile_like_pip(package: Path | None = None) -> None:
    """Compile `package` (by default the reader this Python imports) as pip would."""
    compileall.compile_dir(package or Path(reader.__file__).parent, quiet=1)


def launched_from(checkout: Path) -> list[str]:
    """The reader of a checkout, started the same way whichever checkout it is."""
    code = f"import sys; sys.path.insert(0, {str(checkout)!r}); from reader.cli import main; "
    return [sys.executable, "-c", code + "sys.exit(main())"]
