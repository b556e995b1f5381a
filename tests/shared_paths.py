"""Where the shared development material lives: ../shared beside the repository, or the
directory TRAINER_SHARED_DIR names (a CI clone may sit elsewhere on the same machine)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    candidates = [os.environ.get("TRAINER_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eval" / "cases.jsonl").is_file():
            return Path(candidate)
    return ROOT.parent / "shared"


SHARED = _shared_dir()
EVAL = SHARED / "eval"
EVAL_AUDIO = EVAL / "audio"
CASES = EVAL / "cases.jsonl"
SEEDS = SHARED / "seeds"
