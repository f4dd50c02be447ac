"""Run every benchmark in bench/ and print its figures (`make bench`)."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
for script in sorted(here.glob("*.py")):
    if script.name != "run.py":
        print(f"--- {script.name}", flush=True)
        subprocess.run([sys.executable, str(script)], check=True)  # noqa: S603
