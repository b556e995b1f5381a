"""Where recordings live: a tiny storage interface and its local-directory implementation.

Recordings are written *before* recognition so a crash loses nothing, and kept with the attempt
so a station head can replay them. Keys look like ``2025/06/<32 hex>.webm``; the web layer stores
the key, never a path.

An S3-compatible store (for sites with several servers) would implement the same four methods
with boto3's ``put_object`` / ``get_object`` / ``delete_object``; ``path_for`` would raise
``NotImplementedError`` and replay would go through ``open``. Not built yet (later issue).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from trainer.speech.errors import BadRecordingKey, RecordingNotFound, StorageError, StorageFull

_KEY = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.[a-z0-9]{1,5}")
_SUFFIX = re.compile(r"[a-z0-9]{1,5}")
# EFBIG: the process's file-size limit (ulimit -f) or the file system's; EDQUOT: a user quota.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class RecordingStore(Protocol):
    """Stores recordings under opaque keys."""

    def save(self, data: bytes, suffix: str) -> str:
        """Store ``data`` durably and return its new key."""

    def open(self, key: str) -> BinaryIO:
        """Open a stored recording for reading."""

    def path_for(self, key: str) -> Path:
        """The local file of a recording (local stores only)."""

    def delete(self, key: str) -> None:
        """Remove a recording; deleting a missing one is not an error."""


def normalise_suffix(suffix: str) -> str:
    """``".WEBM"`` -> ``"webm"``; anything that is not 1-5 letters or digits becomes ``"bin"``."""
    cleaned = suffix.strip().lstrip(".").lower()
    return cleaned if _SUFFIX.fullmatch(cleaned) else "bin"


class LocalRecordingStore:
    """Recordings as files under ``root/YYYY/MM/``, written atomically."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def save(self, data: bytes, suffix: str) -> str:
        """Write ``data`` to a temporary file, fsync it, then rename it into place.

        A reader never sees half a recording, and a crash leaves at most a ``.tmp`` file.
        Raises :class:`StorageFull` when the disk (or a size limit or quota) is exhausted,
        :class:`StorageError` for any other failure; no partial file is left either way.
        """
        now = datetime.now(UTC)
        key = f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{normalise_suffix(suffix)}"
        final = self.path_for(key)
        tmp = final.with_name(f".{final.name}.tmp")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            try:
                write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, final)
            _fsync_directory(final.parent)
        except OSError as error:
            _remove_quietly(tmp)
            if error.errno in _FULL:
                raise StorageFull() from error
            raise StorageError(f"录音保存失败:{error.strerror or error}。请稍后重试。") from error
        return key

    def open(self, key: str) -> BinaryIO:
        """Open a recording for reading; :class:`RecordingNotFound` if it is gone."""
        try:
            return open(self.path_for(key), "rb")
        except FileNotFoundError as error:
            raise RecordingNotFound() from error

    def path_for(self, key: str) -> Path:
        """The file of ``key``; :class:`BadRecordingKey` for anything not made by :meth:`save`.

        The key pattern admits no ``..``, no absolute path and no separators beyond the two
        date levels, so a key taken from a request can never reach outside ``root``.
        """
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise BadRecordingKey()
        return self.root.joinpath(*key.split("/"))

    def delete(self, key: str) -> None:
        """Remove a recording if it exists."""
        self.path_for(key).unlink(missing_ok=True)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _remove_quietly(path: Path) -> None:
    # Cleaning up after a failed write must not hide the failure itself.
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
