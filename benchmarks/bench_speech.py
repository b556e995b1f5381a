"""Speech latency: real-time factor and latency p50/p95 for 2-5 s answers, and the project's
overhead against calling faster-whisper directly on the same PCM in the same run.

    .venv/bin/python benchmarks/bench_speech.py [--reps 3] [--format webm|wav] [--json]

"project" = load_audio (decode the upload + convert to 16 kHz mono) + energy gate + recognition
+ no-speech filtering, through ``trainer.speech.transcribe``. "bare" = ``WhisperModel.transcribe``
with the same model object and the same decoding options (the encoder window included), on
already-converted PCM. The two are
interleaved clip by clip so that other load on the machine hits both alike.
Targets (issue 5): a 3 s answer within 1.2 s p95; overhead <= 20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.speech import get_engine, load_audio, transcribe  # noqa: E402
from trainer.speech.faster_whisper_engine import (  # noqa: E402
    BEAM_SIZE,
    LANGUAGE,
    default_cpu_threads,
    encoder_frames,
    encoder_window,
    token_budget,
)
from trainer.speech.model_setup import ensure_model  # noqa: E402

EVAL_AUDIO = Path(os.environ.get("TRAINER_SHARED_DIR", ROOT.parent / "shared")) / "eval" / "audio"
MODEL_DIR = ROOT / "instance" / "models" / "whisper-base"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3, help="runs per clip and path (default 3)")
    parser.add_argument("--format", choices=("webm", "wav"), default="webm", help="upload format")
    parser.add_argument(
        "--beam", type=int, default=BEAM_SIZE, help=f"beam size (default {BEAM_SIZE})"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="CPU threads (default: all, up to 4)"
    )
    parser.add_argument("--no-words", action="store_true", help="without word timestamps")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    ensure_model(MODEL_DIR)
    engine = get_engine(
        "faster-whisper",
        model=MODEL_DIR,
        beam_size=args.beam,
        cpu_threads=args.threads,
        word_timestamps=not args.no_words,
    )
    engine.warm_up()
    model = engine.load()

    clips = []
    for path in sorted(EVAL_AUDIO.glob("*.wav")):
        pcm = load_audio(path)
        if 2.0 <= pcm.duration <= 5.0 and path.name != "a-silence.wav":
            # What Chrome's MediaRecorder uploads: opus in webm at 48 kHz.
            webm = pcm.encode("webm", "libopus", 48000)
            upload = webm if args.format == "webm" else path.read_bytes()
            clips.append((path.stem, pcm, upload))

    project, bare, rtf, three_second = [], [], [], []
    for _ in range(args.reps):
        for _name, pcm, upload in clips:
            started = time.perf_counter()
            transcribe(upload, engine=engine)
            elapsed = time.perf_counter() - started
            project.append(elapsed)
            rtf.append(elapsed / pcm.duration)
            if 2.5 <= pcm.duration <= 3.5:
                three_second.append(elapsed)

            samples = pcm.float32()
            started = time.perf_counter()
            with encoder_window(encoder_frames(pcm.duration)):  # as the engine
                segments, _ = model.transcribe(
                    samples,
                    language=LANGUAGE,
                    beam_size=engine.beam_size,
                    temperature=0.0,
                    condition_on_previous_text=False,
                    vad_filter=True,
                    word_timestamps=engine.word_timestamps,
                    max_new_tokens=token_budget(pcm.duration),
                )
                list(segments)
            bare.append(time.perf_counter() - started)

    result = {
        "clips": len(clips),
        "runs": len(project),
        "upload_format": args.format,
        "beam_size": engine.beam_size,
        "cpu_threads": args.threads or default_cpu_threads(),
        "word_timestamps": engine.word_timestamps,
        "latency_p50": statistics.median(project),
        "latency_p95": percentile(project, 0.95),
        "latency_3s_p95": percentile(three_second, 0.95) if three_second else None,
        "rtf_p50": statistics.median(rtf),
        "rtf_p95": percentile(rtf, 0.95),
        "bare_p50": statistics.median(bare),
        "bare_p95": percentile(bare, 0.95),
        "overhead_p50": statistics.median(project) / statistics.median(bare) - 1,
        "overhead_total": sum(project) / sum(bare) - 1,
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"{result['clips']} clips of 2-5 s, {result['runs']} runs per path, upload {args.format}, "
        f"beam {result['beam_size']}, {result['cpu_threads']} threads, "
        f"word timings {'on' if engine.word_timestamps else 'off'}"
    )
    print(f"project latency  p50 {result['latency_p50']:.3f} s  p95 {result['latency_p95']:.3f} s")
    if three_second:
        print(f"3 s answers (2.5-3.5 s)  p95 {result['latency_3s_p95']:.3f} s   (target <= 1.2 s)")
    print(f"real-time factor p50 {result['rtf_p50']:.3f}    p95 {result['rtf_p95']:.3f}")
    print(f"bare engine      p50 {result['bare_p50']:.3f} s  p95 {result['bare_p95']:.3f} s")
    print(
        f"overhead         p50 {result['overhead_p50']:+.1%}  total {result['overhead_total']:+.1%}"
        "   (target <= 20 %)"
    )
    return 0


# --- upload to score through the web route (trainer/practice) --------------------------------
#
#     .venv/bin/python benchmarks/bench_speech.py --route [--reps 3] [--json]
#
# "route" = POST /practice/attempts/<id>/turns/0/audio with a webm/opus upload, as recorder.js
# sends it, through the Flask test client on a scratch SQLite database: size checks, storing
# the recording (fsync), committing the 待识别 turn, decoding, the recognition pool, recognition
# in the scene (issue 15: the unbiased pass, and the context pass where the unbiased result is
# not a clean pass), scoring, delivery feedback and the JSON answer. Each clip answers its own
# scene. "bare" = one WhisperModel.transcribe on the same PCM with the same options,
# interleaved clip by clip in the same run. Targets: issue 5, a 3 s answer within 1.2 s p95;
# issue 15, upload to score p95 <= 1.3 x the bare single pass.

# The development clips' scenes (the page a trainee would have answered them on).
CLIP_ITEMS = {"a-greet": "sl-greet", "a-off": "sl-engine-off", "a-phone": "sl-phone-stop",
              "a-wait": "sl-wait", "a-check": "sl-check-meter", "a-change": "sl-change",
              "a-help": "sl-anything-else", "a-bye": "sl-farewell", "a-tel": "sl-tel-answer",
              "a-pay": "sl-pay-method", "a-low": "sl-balance-low", "a-sorry": "sl-sorry-wait",
              "a-forbidden": "sl-sorry-wait"}


def item_of(clip_name: str) -> str:
    return CLIP_ITEMS.get("-".join(clip_name.split("-")[:2]), "sl-greet")


def route_main() -> int:
    import io
    import re
    import secrets
    import tempfile
    from decimal import Decimal

    parser = argparse.ArgumentParser(description="upload-to-score latency through the route")
    parser.add_argument("--reps", type=int, default=3, help="runs per clip and path (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from trainer import create_app
    from trainer.extensions import db
    from trainer.models import Station, User
    from trainer.turns.recognition import speech_engine

    ensure_model(MODEL_DIR)
    scratch = Path(tempfile.mkdtemp(prefix="bench-route-"))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'bench.db'}",
        "SECRET_KEY": "bench", "RECORDINGS_DIR": str(scratch / "recordings"),
        "ASR_MODEL": str(MODEL_DIR), "SPEECH_QUEUE": "inline", "RATELIMIT_ENABLED": False,
    }, instance_path=str(scratch / "instance"))
    with app.app_context():
        upgrade()
        station = Station(code="B1", name="昆仑加气站", short_name="昆仑", company="昆仑燃气",
                          gas_price=Decimal("3.5"), hotline="400-000-0000")
        db.session.add(station)
        db.session.flush()
        user = User(employee_no="bench", name="测速", role="staff", post="attendant",
                    station_id=station.id)
        user.set_password("Quay-31-Lotus-Ferry", method="pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()
        engine = speech_engine(app)
        engine.warm_up()
        model = engine.load()

    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"employee_no": "bench", "password": "Quay-31-Lotus-Ferry",
                                "csrf_token": token})
    headers = {"X-CSRFToken": token, "Accept": "application/json"}

    clips = []
    for path in sorted(EVAL_AUDIO.glob("*.wav")):
        pcm = load_audio(path)
        if 2.0 <= pcm.duration <= 5.0 and path.name != "a-silence.wav":
            clips.append((path.stem, pcm, pcm.encode("webm", "libopus", 48000)))

    def start_attempt(item: str) -> str:
        from sqlalchemy.orm.attributes import flag_modified

        from trainer.models import Attempt

        response = client.post(f"/practice/phrases/{item}/start",
                               data={"csrf_token": token, "submit_key": secrets.token_hex(16)})
        attempt_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        if item == "sl-change":  # the clips say 35
            with app.app_context():
                attempt = db.session.get(Attempt, int(attempt_id))
                presented = dict(attempt.presented)
                presented["values"] = {**presented["values"], "amount": "35"}
                presented["turns"][0]["values"] = presented["values"]
                attempt.presented = presented
                flag_modified(attempt, "presented")
                db.session.commit()
        return attempt_id

    route, bare, three_second, two_passes = [], [], [], []
    for _ in range(args.reps):
        for name, pcm, upload in clips:
            attempt_id = start_attempt(item_of(name))
            started = time.perf_counter()
            response = client.post(f"/practice/attempts/{attempt_id}/turns/0/audio",
                                   data={"audio": (io.BytesIO(upload), "answer.webm")},
                                   headers=headers, content_type="multipart/form-data")
            elapsed = time.perf_counter() - started
            if response.get_json().get("state") != "scored":
                raise SystemExit(f"{name}: {response.status_code} {response.get_json()}")
            route.append(elapsed)
            if 2.5 <= pcm.duration <= 3.5:
                three_second.append(elapsed)
            with app.app_context():
                from trainer.models import AttemptResponse

                row = db.session.get(AttemptResponse, response.get_json()["response_id"])
                if ((row.asr or {}).get("context") or {}).get("passes") == 2:
                    two_passes.append((name, elapsed))

            started = time.perf_counter()
            with encoder_window(encoder_frames(pcm.duration)):  # as the engine
                segments, _ = model.transcribe(
                    pcm.float32(), language=LANGUAGE, beam_size=engine.beam_size, temperature=0.0,
                    condition_on_previous_text=False, vad_filter=True,
                    word_timestamps=engine.word_timestamps, max_new_tokens=token_budget(pcm.duration),
                )
                list(segments)
            bare.append(time.perf_counter() - started)

    result = {
        "clips": len(clips),
        "runs": len(route),
        "route_p50": statistics.median(route),
        "route_p95": percentile(route, 0.95),
        "route_3s_p95": percentile(three_second, 0.95) if three_second else None,
        "bare_p50": statistics.median(bare),
        "bare_p95": percentile(bare, 0.95),
        "overhead_p50": statistics.median(route) / statistics.median(bare) - 1,
        "overhead_total": sum(route) / sum(bare) - 1,
        "ratio_p95": percentile(route, 0.95) / percentile(bare, 0.95),
        "two_passes": len(two_passes),
        "two_passes_clips": sorted({name for name, _ in two_passes}),
        "two_passes_p50": statistics.median([t for _, t in two_passes]) if two_passes else None,
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{result['clips']} clips of 2-5 s, {result['runs']} uploads, webm/opus through "
          f"POST /practice/attempts/<id>/turns/0/audio (inline recognition)")
    print(f"upload to score   p50 {result['route_p50']:.3f} s  p95 {result['route_p95']:.3f} s")
    if three_second:
        print(f"3 s answers (2.5-3.5 s)  p95 {result['route_3s_p95']:.3f} s   (target <= 1.2 s)")
    print(f"bare engine       p50 {result['bare_p50']:.3f} s  p95 {result['bare_p95']:.3f} s")
    print(f"overhead          p50 {result['overhead_p50']:+.1%}  total "
          f"{result['overhead_total']:+.1%}   (target <= 20 %)")
    print(f"p95 ratio         {result['ratio_p95']:.2f} x the bare single pass   (target <= 1.3)")
    print(f"context pass ran  {result['two_passes']} of {result['runs']} uploads "
          f"({', '.join(result['two_passes_clips']) or 'none'}); their p50 "
          f"{result['two_passes_p50'] or 0:.3f} s")
    return 0


if __name__ == "__main__":
    if "--route" in sys.argv[1:]:
        sys.argv.remove("--route")
        sys.exit(route_main())
    sys.exit(main())
