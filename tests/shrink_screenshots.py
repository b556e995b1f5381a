"""Shrink the committed screenshot set (artifacts/screenshots/attendant and office) to 64-colour
PNGs: a third of the size, still readable. Run by `make screenshots` after the browser tests."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
FOLDERS = ("attendant", "office")


def shrink(path: Path) -> None:
    image = Image.open(path)
    if image.mode == "P":
        return  # already shrunk
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True)


def main() -> None:
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.png")):
            shrink(path)


if __name__ == "__main__":
    main()
