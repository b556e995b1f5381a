"""The Chinese font printed on certificates: found once, registered once per process.

reportlab embeds (a subset of) TrueType fonts only; CFF-based fonts such as Noto Sans CJK
cannot be embedded, and an unembedded CJK font prints differently on every viewer. So a
certificate uses a TrueType (.ttf/.ttc with glyf outlines) font whose licence allows
embedding - reportlab refuses fonts whose fsType forbids it.

Search order: the path the caller passes (the app's CERTIFICATE_FONT setting), then the
TRAINER_CERTIFICATE_FONT environment variable, then the Debian packages the project's set-up
installs (fonts-wqy-microhei; fonts-arphic-uming also works).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

ENVIRONMENT_VARIABLE = "TRAINER_CERTIFICATE_FONT"

# (path, index of the face inside a .ttc collection); first usable wins.
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
)

# Characters every certificate prints; a font lacking any of them would print blanks.
_PROBE = "上岗资格证书持证人工号站点加气员有效已过期暂停撤销核验日期0123456789JQZ-"

_INSTALL_HINT = (
    "请安装 Debian 软件包 fonts-wqy-microhei(sudo apt-get install fonts-wqy-microhei,"
    "或 fonts-arphic-uming),或用配置项 CERTIFICATE_FONT / 环境变量 "
    f"{ENVIRONMENT_VARIABLE} 指定一个可嵌入的 TrueType 中文字体文件(.ttf/.ttc)"
)

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


class CertificateFontError(RuntimeError):
    """No usable Chinese TrueType font; the message says what to install or configure."""


def certificate_font(
    path: str | os.PathLike[str] | None = None,
    *,
    search: tuple[tuple[str, int], ...] = KNOWN_FONTS,
) -> str:
    """Register the certificate font with reportlab (once per process) and return its name.

    `path` overrides the search (a .ttf, or a .ttc whose first face is used; "file.ttc#1"
    picks another face). An explicit path that is unusable is an error, not a silent
    fallback, so a misconfigured server is noticed. `search` is the list of installed fonts
    tried otherwise. Thread-safe: concurrent first calls register the font once.
    """
    override = os.fspath(path) if path else os.environ.get(ENVIRONMENT_VARIABLE, "")
    candidates = [_split_face(override)] if override else list(search)
    with _lock:
        for candidate in candidates:
            if candidate in _registered:
                return _registered[candidate]
        problems = []
        for file, face in candidates:
            try:
                name = _register(file, face)
            except CertificateFontError as error:
                problems.append(str(error))
                continue
            _registered[(file, face)] = name
            return name
    if override:
        raise CertificateFontError(f"证书字体不可用:{problems[0]}。{_INSTALL_HINT}。")
    raise CertificateFontError(f"找不到可嵌入的中文 TrueType 字体。{_INSTALL_HINT}。")


def _split_face(spec: str) -> tuple[str, int]:
    file, _, face = spec.partition("#")
    return file, int(face) if face.isdigit() else 0


def _register(file: str, face: int) -> str:
    if not Path(file).is_file():
        raise CertificateFontError(f"{file} 不存在")
    # One name per file and face, so two configured fonts never overwrite each other.
    digest = hashlib.sha1(f"{file}#{face}".encode()).hexdigest()[:8]
    name = f"CertCJK-{digest}"
    try:
        font = TTFont(name, file, subfontIndex=face)
    except TTFError as error:
        # Typically "postscript outlines are not supported" (CFF, e.g. Noto CJK) or a font
        # whose licence forbids embedding.
        raise CertificateFontError(f"{file} 无法嵌入 PDF({error})") from error
    except (OSError, ValueError) as error:
        raise CertificateFontError(f"{file} 不是可读的 TrueType 字体({error})") from error
    missing = [char for char in _PROBE if ord(char) not in font.face.charToGlyph]
    if missing:
        raise CertificateFontError(f"{file} 缺少中文字形(如“{''.join(missing[:5])}”)")
    pdfmetrics.registerFont(font)
    return name
