"""Check the system libraries HireLadder needs, with a clear message when one is missing.

WeasyPrint (PDF role descriptions) needs Pango >= 1.44 (which brings HarfBuzz and
Fontconfig), HarfBuzz's subsetter (to embed only the glyphs a PDF uses) and at least one
font. `make` installs the Debian packages itself where it can (scripts/ensure_debian_packages.sh).
"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
import sys

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


def main() -> int:
    problems = []
    for lib in ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig"):
        if ctypes.util.find_library(lib) is None:
            problems.append(f"the shared library lib{lib} is not installed")
    if shutil.which("fc-list"):
        fonts = subprocess.run(
            ["fc-list"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if not fonts.strip():
            problems.append("no fonts are installed")
    if not problems:
        try:
            import weasyprint  # noqa: F401
        except OSError as exc:
            problems.append(f"WeasyPrint cannot load its libraries: {exc}")
    if problems:
        print("HireLadder cannot render PDFs on this machine:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print(
            "On Debian/Ubuntu install them with:\n"
            f"  sudo apt-get install {DEBIAN_PACKAGES}\n"
            "(other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
