"""Degrade the clips of tune.jsonl / heldout*.jsonl as at a forecourt, in the five conditions
of ../../../shared/eval/noisy/README.md, deterministically (fixed noise seeds, sox -R):

| suffix | condition |
|---|---|
| snr15, snr10 | brown + pink noise at 15 / 10 dB SNR over the active speech |
| tempo115 | a fast talker: tempo x 1.15 (sox tempo) |
| tel | telephone band 300-3400 Hz (sox sinc) |
| quiet | 20 dB quieter |

    .venv/bin/python eval/speech/degrade.py OUT_DIR      # needs Debian's sox
writes OUT_DIR/<split>-<suffix>.jsonl (ids with a ~suffix, same labels) and the clips
OUT_DIR/audio/<id>~<suffix>.wav. The clean clips are committed; these are regenerated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import wave
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_cases import VOICES_OF  # noqa: E402

CONDITIONS = ("snr15", "snr10", "tempo115", "tel", "quiet")
SPLITS = tuple(VOICES_OF)  # every split of make_cases.py


def coloured_noise(n: int, seed: int) -> np.ndarray:
    """Brown (engine rumble) plus pink (forecourt hiss) noise, unit RMS."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n)
    brown = np.cumsum(white)
    brown -= np.convolve(brown, np.ones(801) / 801, mode="same")  # no DC drift
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    pink = np.fft.irfft(spectrum, n)
    noise = brown / np.std(brown) + pink / np.std(pink)
    return noise / np.std(noise)


def active_rms(x: np.ndarray, rate: int = 16000) -> float:
    """RMS over the 100-ms windows within 30 dB of the loudest (the speech, not the pauses)."""
    window = rate // 10
    frames = x[: len(x) // window * window].reshape(-1, window)
    levels = np.sqrt(np.mean(frames ** 2, axis=1) + 1e-12)
    loud = levels[levels > levels.max() * 10 ** (-30 / 20)]
    return float(np.sqrt(np.mean(loud ** 2)))


def with_noise(x: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    noise = coloured_noise(len(x), seed)
    return x + noise * active_rms(x) / 10 ** (snr_db / 20)


def sox(src: Path, out: Path, *effects: str) -> None:
    subprocess.run(["sox", "-R", str(src), "-r", "16000", "-c", "1", "-b", "16", str(out),
                    *effects], check=True)


def read_wav(path: Path) -> tuple[int, np.ndarray]:
    with wave.open(str(path), "rb") as w:
        return w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def write_wav(path: Path, rate: int, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def degrade(src: Path, out: Path, condition: str) -> None:
    if condition in ("tempo115", "tel"):
        effects = ["tempo", "1.15"] if condition == "tempo115" else ["sinc", "300-3400"]
        sox(src, out, *effects)
        return
    rate, data = read_wav(src)
    x = data.astype(np.float64) / 32768.0
    seed = zlib.crc32(src.name.encode())
    if condition == "snr15":
        x = with_noise(x, 15, seed)
    elif condition == "snr10":
        x = with_noise(x, 10, seed)
    else:
        x = x * 10 ** (-20 / 20)
    write_wav(out, rate, np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16))


def main(target: Path) -> None:
    (target / "audio").mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        source = HERE / f"{split}.jsonl"
        if not source.exists():
            continue
        cases = [json.loads(line) for line in source.read_text("utf-8").splitlines()]
        for condition in CONDITIONS:
            with open(target / f"{split}-{condition}.jsonl", "w", encoding="utf-8") as lines:
                for case in cases:
                    name = f"{case['id']}~{condition}.wav"
                    degrade(HERE / case["audio"], target / "audio" / name, condition)
                    lines.write(json.dumps({**case, "id": f"{case['id']}~{condition}",
                                            "audio": f"audio/{name}"}, ensure_ascii=False) + "\n")
        print(split, "done", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "degraded")
