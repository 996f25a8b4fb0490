"""Time `docgen check` on one unit with 18,758 experts (a 4 MB unit.yaml), cold and then cached.

    python bench/big_unit.py [N]

The second run must stay under 5 s (issue 18): the parsed file comes from build/.docgen/cache.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.bigunit import add_experts  # noqa: E402


def main(n: int = 18758) -> None:
    with tempfile.TemporaryDirectory(prefix="docgen-big-") as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "samples", root / "data")
        shutil.copytree(ROOT / "templates", root / "templates")
        size = add_experts(root / "data/units/heluo-normal/unit.yaml", n)
        print(f"unit.yaml: {n} experts, {size / 1e6:.1f} MB")
        for label in ("first (parse)", "second (cached)"):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "docgen", "--root", str(root), "check", "--unit", "heluo-normal"],
                                  capture_output=True, cwd=ROOT, check=False)
            print(f"{label}: {time.perf_counter() - start:.1f} s, exit {proc.returncode}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 18758)
