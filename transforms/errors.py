"""The one error a transform raises for an input that cannot become an article.

`reason` is the short code stored in `rejects.reason`, `detail` the sentence beside it.
Each step names its own kind (`DecodeError`: the bytes are not text; `FormatError`: no
supported format reads the file), and a caller that turns any of them into a reject
catches `RejectError`.
"""

from __future__ import annotations


class RejectError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
