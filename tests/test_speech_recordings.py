"""Recordings storage: durable atomic writes, keys that cannot escape the root, and a full disk
reported in Chinese with nothing half written.

How a full disk is produced, honestly: (1) a real kernel refusal in a child process whose file
size limit (RLIMIT_FSIZE, as ``ulimit -f``) is smaller than the recording - the kernel answers
EFBIG mid-write; (2) ENOSPC itself, by injecting a writer that writes to /dev/full, which the
kernel always answers with ENOSPC. No tmpfs is needed for either.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from trainer.speech import (
    BadRecordingKey,
    LocalRecordingStore,
    RecordingNotFound,
    StorageError,
    StorageFull,
)
from trainer.speech import recordings as module
from trainer.speech.recordings import normalise_suffix

KEY = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.[a-z0-9]+")


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_save_then_open_gives_the_same_bytes(tmp_path):
    store = LocalRecordingStore(tmp_path)
    data = os.urandom(100_000)
    key = store.save(data, ".webm")
    assert KEY.fullmatch(key) and key.endswith(".webm")
    with store.open(key) as fh:
        assert fh.read() == data
    assert store.path_for(key).parent.parent.parent == tmp_path


def test_every_save_gets_its_own_key(tmp_path):
    store = LocalRecordingStore(tmp_path)
    keys: list[str] = []
    lock = threading.Lock()

    def save(i: int) -> None:
        key = store.save(f"take {i}".encode(), "ogg")
        with lock:
            keys.append(key)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 20
    assert sorted(store.open(k).read() for k in keys) == sorted(
        f"take {i}".encode() for i in range(20)
    )


def test_no_temporary_file_is_left_behind(tmp_path):
    store = LocalRecordingStore(tmp_path)
    key = store.save(b"RIFF....WAVE", "wav")
    assert files_under(tmp_path) == [store.path_for(key)]


@pytest.mark.parametrize(
    "suffix,expected",
    [
        (".webm", "webm"),
        ("OGG", "ogg"),
        ("mp4", "mp4"),
        ("", "bin"),
        ("../../x", "bin"),
        ("webm/../../a", "bin"),
        (".toolongsuffix", "bin"),
    ],
)
def test_suffix_is_cleaned(suffix, expected):
    assert normalise_suffix(suffix) == expected


@pytest.mark.parametrize(
    "key",
    [
        "../secret_key",
        "/etc/passwd",
        "2025/01/../../../etc/passwd",
        "2025/01/" + "a" * 32 + ".webm/../../x",
        "2025/01/" + "a" * 32 + ".webm\n",
        "2025\\01\\" + "a" * 32 + ".webm",
        "2025/01/" + "A" * 32 + ".webm",
        "",
    ],
)
def test_keys_that_could_leave_the_root_are_refused(tmp_path, key):
    store = LocalRecordingStore(tmp_path)
    for action in (store.path_for, store.open, store.delete):
        with pytest.raises(BadRecordingKey):
            action(key)


def test_missing_recording_is_a_clear_error(tmp_path):
    store = LocalRecordingStore(tmp_path)
    with pytest.raises(RecordingNotFound, match="找不到"):
        store.open("2025/01/" + "a" * 32 + ".webm")


def test_delete_removes_and_is_idempotent(tmp_path):
    store = LocalRecordingStore(tmp_path)
    key = store.save(b"abc", "wav")
    store.delete(key)
    store.delete(key)
    assert not store.path_for(key).exists()


def test_disk_full_is_reported_in_chinese_and_leaves_nothing(tmp_path, monkeypatch):
    def write_to_full_device(fd: int, data: bytes) -> None:
        with open("/dev/full", "wb", buffering=0) as device:
            device.write(data)  # the kernel answers ENOSPC

    monkeypatch.setattr(module, "write_all", write_to_full_device)
    store = LocalRecordingStore(tmp_path)
    with pytest.raises(StorageFull) as error:
        store.save(b"x" * 10_000, "webm")
    assert error.value.code == "disk_full"
    assert "存储空间已满" in str(error.value)
    assert (
        isinstance(error.value.__cause__, OSError) and error.value.__cause__.errno == errno.ENOSPC
    )
    assert files_under(tmp_path) == []


def test_kernel_refusing_the_write_midway_leaves_nothing(tmp_path):
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        from trainer.speech import LocalRecordingStore, StorageFull
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            LocalRecordingStore({str(tmp_path)!r}).save(b"x" * 100_000, "webm")
        except StorageFull as error:
            print(error.code, error)
            sys.exit(0)
        sys.exit(3)
        """
    )
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("disk_full")
    assert files_under(tmp_path) == []


def test_unwritable_root_is_a_storage_error(tmp_path):
    blocker = tmp_path / "recordings"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(StorageError, match="录音保存失败"):
        LocalRecordingStore(blocker).save(b"abc", "wav")


def test_write_all_writes_everything_through_short_writes(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(module.os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    target = tmp_path / "out"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        module.write_all(fd, b"0123456789" * 10)
    finally:
        os.close(fd)
    assert target.read_bytes() == b"0123456789" * 10
