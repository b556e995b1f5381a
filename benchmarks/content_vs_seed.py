"""Review aid: every sentence of the study cards that is not (nearly) word for word in the
seed standards, per module, so a reviewer can check each deliberate difference against the
list in content/README.md ("Deliberate differences").

    .venv/bin/python benchmarks/content_vs_seed.py [SEED_FILE ...]

A sentence counts as found when at least half of its 6-character windows (punctuation and
spaces removed) occur in the seed text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.shared_paths import SEEDS  # noqa: E402
from trainer.content.loader import load_content  # noqa: E402

PUNCT = re.compile(r"[\s，。、,.:：;；!！?？“”\"'（）()《》…—\-·●]")


def squeeze(text: str) -> str:
    return PUNCT.sub("", text)


def found_share(sentence: str, seed: str) -> float:
    text = squeeze(sentence)
    windows = [text[i:i + 6] for i in range(0, max(1, len(text) - 5), 3)]
    return sum(w in seed for w in windows) / len(windows)


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(Path(SEEDS).glob("*.txt"))
    seed = squeeze("".join(f.read_text(encoding="utf-8") for f in files))
    library = load_content(ROOT / "content")
    total = differing = 0
    for module in library.modules:
        lines = []
        for card in module.cards:
            for sentence in re.split(r"[。；;\n]", card.body):
                if len(squeeze(sentence)) < 6:
                    continue
                total += 1
                share = found_share(sentence, seed)
                if share < 0.5:
                    differing += 1
                    lines.append(f"  {card.id:28} {share:4.0%}  {sentence.strip()[:60]}")
        print(f"{module.id} {module.title}: {len(lines)} sentences not in the seed's words")
        print("\n".join(lines))
    print(f"{differing} of {total} card sentences differ from the seed's wording")


if __name__ == "__main__":
    main(sys.argv[1:])
