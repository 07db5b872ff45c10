"""Which files a delivery may carry: a short list of document and image types, each
checked by its first bytes as well as its name, and a size cap taken from the shared
upload limits (``core.uploads``)."""

from __future__ import annotations

from bellwether.core.uploads import MB, UploadLimits, UploadRefused

#: An attachment is a document, not an import: at most this, and never more than the
#: installation's upload limit.
ATTACHMENT_CAP = 10 * MB
_ZIP = (b"PK\x03\x04",)
#: Extension → the first bytes a real file of that type starts with (None: any text).
TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "pptx": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "txt": None,
}
MAX_NAME = 200


def max_bytes(limits: UploadLimits) -> int:
    return limits.at_most(max_bytes=ATTACHMENT_CAP).max_bytes


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def check(name: str, content: bytes, limits: UploadLimits) -> str:
    """The file's name to keep (no folders), or ``UploadRefused`` with what to do."""
    clean = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[-MAX_NAME:] or "attachment"
    limit = max_bytes(limits)
    if len(content) > limit:
        raise UploadRefused(
            f"The file is {_mb(len(content))}; an attachment may be at most {_mb(limit)}. "
            "Share a link to a larger one instead."
        )
    if not content:
        raise UploadRefused("The file is empty.")
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    kinds = ", ".join(sorted(TYPES))
    if extension not in TYPES:
        raise UploadRefused(f"Attach a file of one of these types: {kinds}.")
    starts = TYPES[extension]
    if starts is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("A .txt attachment must be UTF-8 text.") from None
    elif not content.startswith(starts):
        raise UploadRefused(f"This file is not really a .{extension} file. Attach one of: {kinds}.")
    return clean
