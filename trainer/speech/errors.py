"""Errors of the speech layer: each carries a Simplified Chinese message and a stable ``code``.

The web layer shows ``str(error)`` to the trainee and may branch on ``code`` (for example to
keep an attempt as 待识别 on ``SpeechUnavailable`` but reject the upload on an ``AudioError``).
"""

from __future__ import annotations


class SpeechError(Exception):
    """Base of every error raised by ``trainer.speech``."""

    code = "speech_error"
    default_message = "语音处理失败。"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 detail: str = "") -> None:
        super().__init__(message or self.default_message)
        if code:
            self.code = code
        # For the server log and the administrator only (paths, settings): never shown to a
        # trainee, whose message says what to do without naming the server's files.
        self.detail = detail

    @property
    def message(self) -> str:
        """The Chinese message for the user (same as ``str(error)``)."""
        return str(self)


class AudioError(SpeechError):
    """The upload cannot be used as a spoken answer; the trainee should record again."""

    code = "audio_error"
    default_message = "录音无法使用,请重新录音。"


class EmptyAudio(AudioError):
    code = "empty"
    default_message = "录音是空的,请重新录音。"


class NotAudio(AudioError):
    code = "not_audio"
    default_message = "上传的文件不是可识别的录音格式,请用页面上的录音按钮重新录音。"


class CorruptAudio(AudioError):
    code = "corrupt"
    default_message = "录音文件已损坏,无法解码,请重新录音。"


class AudioTooLarge(AudioError):
    code = "too_large"
    default_message = "录音文件太大,请缩短回答后重新录音。"


class AudioTooLong(AudioError):
    code = "too_long"
    default_message = "录音太长,请缩短回答后重新录音。"


class SpeechUnavailable(SpeechError):
    """The recogniser cannot run (model missing or corrupt, engine not installed, offline).

    Not the trainee's fault: keep the recording and retry later.
    """

    code = "unavailable"
    default_message = "语音识别暂时不可用,录音已保存,请稍后重试。"


class StorageError(SpeechError):
    """A recording could not be stored or read."""

    code = "storage"
    default_message = "录音保存失败,请稍后重试。"


class StorageFull(StorageError):
    code = "disk_full"
    default_message = "服务器存储空间已满,录音未能保存。请联系站长清理磁盘后重试。"


class RecordingNotFound(StorageError):
    code = "not_found"
    default_message = "找不到这段录音,可能已被删除。"


class BadRecordingKey(StorageError):
    code = "bad_key"
    default_message = "录音编号无效。"
