"""The layers hold: `lint-imports` checks the contracts in .importlinter (see
docs/architecture.md, "Layers and contracts")."""
from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept():
    parser = configparser.ConfigParser()
    parser.read(REPO / ".importlinter")
    contracts = [s for s in parser.sections() if s.startswith("importlinter:contract:")]
    assert len(contracts) >= 7  # the file is read, and no contract was dropped quietly
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert summary is not None, result.stdout[-2000:]
    assert (int(summary[1]), int(summary[2])) == (len(contracts), 0)
