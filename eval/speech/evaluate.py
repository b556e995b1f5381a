"""Agreement with the labels for several case files at once, as `flask --app trainer score`
judges them (the same contextual recogniser), with transcripts cached by clip and decoding
settings so that trying a change does not recognise every clip again.

    .venv/bin/python eval/speech/evaluate.py [--cache DIR] [--single] CASES.jsonl ...

--single: the unbiased transcript alone (no context check), for comparison.
Prints one line per file: agreement, false passes, false fails, how many used the context pass.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


class CachingEngine:
    """The engine, with each (clip, settings) transcript kept as JSON in a directory."""

    def __init__(self, engine, directory: Path):
        self.engine = engine
        self.name = engine.name
        self.takes_options = getattr(engine, "takes_options", False)
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        from trainer.speech import faster_whisper_engine as fw

        self.settings = json.dumps([engine.beam_size, fw.VAD_PARAMETERS, fw.TARGET_DBFS,
                                    fw.MAX_GAIN_DB, fw.BEAM_SIZE, fw.QUIET_SPEECH_DBFS,
                                    fw.ENCODER_MIN_WINDOW, fw.ENCODER_WINDOW_MARGIN,
                                    "full window after a loop"],
                                   sort_keys=True)

    def text_logprobs(self, pcm, texts):
        key = hashlib.sha256(pcm.samples.tobytes() + self.settings.encode()
                             + json.dumps(texts).encode()).hexdigest()
        path = self.directory / f"{key}.lp.json"
        if path.exists():
            return json.loads(path.read_text("utf-8"))
        scores = self.engine.text_logprobs(pcm, texts)
        path.write_text(json.dumps(scores), "utf-8")
        return scores

    def transcribe(self, pcm, **options):
        from trainer.speech.transcript import Segment, Transcript, Word

        options.pop("time_limit", None)
        key = hashlib.sha256(pcm.samples.tobytes() + self.settings.encode()
                             + json.dumps(options, sort_keys=True).encode()).hexdigest()
        path = self.directory / f"{key}.json"
        if path.exists():
            data = json.loads(path.read_text("utf-8"))
            data["segments"] = tuple(Segment(**{**s, "words": tuple(Word(**w) for w in s["words"])})
                                     for s in data["segments"])
            return Transcript(**data)
        transcript = self.engine.transcribe(pcm, **options)
        path.write_text(json.dumps(asdict(transcript), ensure_ascii=False), "utf-8")
        return transcript


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/speech-eval-cache"))
    parser.add_argument("--single", action="store_true")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--vad", help="JSON of Silero VAD settings to try instead")
    parser.add_argument("--gain", type=float, help="MAX_GAIN_DB to try (0: no normalisation)")
    parser.add_argument("--window", help="ENCODER_MIN_WINDOW to try, seconds ('none': 30 s)")
    args = parser.parse_args()
    from trainer.speech import faster_whisper_engine as fw

    if args.vad:
        fw.VAD_PARAMETERS = json.loads(args.vad)
    if args.gain is not None:
        fw.MAX_GAIN_DB = args.gain
    if args.window:
        fw.ENCODER_MIN_WINDOW = None if args.window == "none" else float(args.window)

    from trainer import create_app, speech
    from trainer.attempts.service import known_station_names
    from trainer.content import load_content
    from trainer.scoring import run_cases
    from trainer.speech_cases import contextual_transcriber

    app = create_app()
    with app.app_context():
        library = load_content(Path(app.config["CONTENT_DIR"]))
        forbidden = library.forbidden_matcher()
        base = speech.engine_from_config(app.config, app.instance_path)
        engine = CachingEngine(base, args.cache)
        if args.single:
            engine.text_logprobs = None  # hear() then rescues nothing
        for file in args.files:
            labels = {c["id"]: c for c in map(json.loads, file.read_text("utf-8").splitlines())}
            agree = false_pass = false_fail = 0
            misses = []
            known = known_station_names()
            for result in run_cases(file, forbidden=forbidden,
                                    transcribe=contextual_transcriber(file, lambda: engine,
                                                                      library, known),
                                    items=library, known_names=known):
                case = labels[result["id"]]
                want = case["label"] == "pass"
                got = bool(result.get("passed"))
                if got == want:
                    agree += 1
                elif got:
                    false_pass += 1
                    misses.append(f"  FALSE PASS {result['id']}: {result.get('transcript')}")
                else:
                    false_fail += 1
                    misses.append(f"  false fail {result['id']}: {result.get('transcript')} "
                                  f"{result.get('reasons') or result.get('error')}")
            n = len(labels)
            print(f"{file.name:28s} {agree}/{n} = {100 * agree / n:5.1f}%  false pass {false_pass}"
                  f"  false fail {false_fail}", flush=True)
            if args.verbose:
                print("\n".join(misses), flush=True)


if __name__ == "__main__":
    main()
