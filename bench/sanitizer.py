"""How long the sanitizer takes: a 100 KB newsletter, and every pathological input the
unit tests bound by work (tests/unit/test_sanitizer.py: PATHOLOGICAL). Timings live here,
not in the tests: a loaded machine must not fail a test.

    .venv/bin/python bench/sanitizer.py            # median of 5 runs each
    .venv/bin/python bench/sanitizer.py --runs 20
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

from mailview import sanitizer
from mailview.sanitizer import css
from tests.unit.test_sanitizer import PATHOLOGICAL, big_newsletter


def median_seconds(markup: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        css._STYLE_CACHE.clear()  # noqa: SLF001 - cold style cache: the worst case of a first open
        start = time.perf_counter()
        sanitizer.sanitize_html(markup)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cases = {"newsletter-100kb": big_newsletter(), **PATHOLOGICAL}
    sanitizer.sanitize_html(cases["newsletter-100kb"])  # warm, as a long-running worker is
    width = max(map(len, cases))
    for name, markup in cases.items():
        seconds = median_seconds(markup, args.runs)
        print(f"{name:<{width}}  {len(markup) / 1000:9.0f} KB  median {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
