"""The `healthcheckx` console script: the native command (the same code as the `healthcheckx`
binary), run in this process with this process's arguments."""

from __future__ import annotations

import signal
import sys

from ._native import cli_main


def main() -> None:
    # Ctrl-C stops the command as it stops the binary (Python's handler would only set a flag
    # that nobody reads while the native command runs); `serve` installs its own handler.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(cli_main(["healthcheckx", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
