"""Control characters shown, not obeyed: what makes input text safe to put on a terminal or a page.

A statement file can hold escape sequences (``\\x1b[2J`` clears a terminal)
and other control characters. Every human-facing view passes input text
through ``visible``, which replaces each C0 control character (but tab and
newline), DEL and each C1 control character with one visible symbol, so the
text is shown as it is and character offsets (rule-hit spans) still line up.
"""

from __future__ import annotations

#: C0 controls as the Unicode "control pictures" (U+2400 + code), DEL as U+2421, C1 controls as U+FFFD.
_VISIBLE = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: 0xFFFD for code in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline replaced by one visible symbol."""
    return text.translate(_VISIBLE)
