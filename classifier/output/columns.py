"""Terminal tables that fit the console without cutting a figure or an id.

rich makes a table fit its console by shrinking columns, and when that is not
enough it shrinks every column and cuts cells with an ellipsis: an 80-column
terminal showed F1 as ``0.8…`` and every rule id as ``accusation.sponsors_arme…``.
A ``FittedTable`` knows what each column holds and sizes the columns itself:

- a figure or an id is never wrapped, folded or cut: its column is as wide as
  its widest cell;
- a text column (a sentence, a description) is the only one that wraps, at
  word boundaries; a word longer than ``fold_over`` characters may be folded
  across lines, except in columns that hold ids (``fold_over=None``);
- headers wrap at spaces (``"hybrid P"`` becomes two lines) and never set a
  column narrower than their longest word.

When even these minimum widths do not fit, the table is printed as one block
of ``name: value`` pairs per row instead, so nothing is ever cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

#: A text column may fold words longer than this across lines (a URL in a sentence), not shorter ones.
FOLD_OVER = 20
#: Width each column adds to its content: one space of padding either side and a rule.
_COLUMN_EXTRA = 3
#: The table's outer rule on the left (the right one is counted with each column).
_EDGE_EXTRA = 1
#: Indent of the name: value lines under a row's heading in the block layout.
_INDENT = 2
_PAIR_GAP = "   "


@dataclass
class _Column:
    header: str
    kind: str  # "figure", "id" or "text"
    justify: str = "left"
    fold_over: int | None = FOLD_OVER
    fill: bool = False  # takes all the width left over (the sentence column of the label table)
    cells: list[Text] = field(default_factory=list)

    def need(self) -> int:
        """The narrowest this column may be: no figure or id cut, no header word split."""
        header = _longest_word(self.header)
        if self.kind != "text":
            return max([header, *(_widest_line(cell.plain) for cell in self.cells)])
        words = max((_longest_word(cell.plain) for cell in self.cells), default=0)
        if self.fold_over is not None:
            words = min(words, self.fold_over)
        return max(header, words, 1)

    def most(self) -> int:
        """The widest this column would like to be: every cell on one line."""
        return max([_widest_line(self.header), *(_widest_line(cell.plain) for cell in self.cells)])


class FittedTable:
    """A table whose figure and id columns are never cut (see the module docstring)."""

    def __init__(self, title: str | None = None) -> None:
        self.title = title
        self._columns: list[_Column] = []
        self._rows: list[list[Text]] = []
        self._sections: set[int] = set()  # rows preceded by a rule

    def figure_column(self, header: str) -> None:
        """A number, a percentage, a count: right-justified, never wrapped or cut."""
        self._columns.append(_Column(header, "figure", justify="right"))

    def id_column(self, header: str) -> None:
        """A rule id, a label, a group name: kept on one line whole."""
        self._columns.append(_Column(header, "id"))

    def text_column(self, header: str, *, fold_over: int | None = FOLD_OVER, fill: bool = False) -> None:
        """Running text: the only kind of column that wraps. ``fold_over=None`` keeps every word
        whole (for lists of ids); ``fill`` gives the column all the width left over."""
        self._columns.append(_Column(header, "text", fold_over=fold_over, fill=fill))

    def add_row(self, *cells: str | Text) -> None:
        """Cells as plain strings (never read as rich markup) or styled ``Text``."""
        if len(cells) != len(self._columns):
            raise ValueError(f"{len(cells)} cells for {len(self._columns)} columns")
        row = [cell.copy() if isinstance(cell, Text) else Text(cell) for cell in cells]
        for column, cell in zip(self._columns, row, strict=True):
            column.cells.append(cell)
        self._rows.append(row)

    def add_section(self) -> None:
        """A rule between the rows so far and the next ones (table layout only)."""
        self._sections.add(len(self._rows))

    def min_width(self) -> int:
        """The narrowest console that shows this as a table."""
        return sum(column.need() + _COLUMN_EXTRA for column in self._columns) + _EDGE_EXTRA

    def fits(self, width: int) -> bool:
        return self.min_width() <= width

    def print(self, console: Console) -> None:
        """As a table if it fits ``console``, else as one block of ``name: value`` lines per row."""
        if self.fits(console.width):
            console.print(self._as_table(console.width))
        else:
            self._print_blocks(console)

    def _widths(self, width: int) -> list[int]:
        """Each column's need, then the width left shared among the text columns up to what they want,
        then what is still left to the ``fill`` column."""
        widths = [column.need() for column in self._columns]
        spare = width - sum(widths) - _COLUMN_EXTRA * len(widths) - _EDGE_EXTRA
        fillers = [i for i, column in enumerate(self._columns) if column.fill]
        wants = {
            i: column.most() for i, column in enumerate(self._columns) if column.kind == "text" and not column.fill
        }
        while spare > 0 and (growing := [i for i, most in wants.items() if widths[i] < most]):
            for i in growing[:spare]:  # a character each in turn: a short flag column is not starved by a long one
                widths[i] += 1
                spare -= 1
        if fillers and spare > 0:
            share, extra = divmod(spare, len(fillers))
            for n, i in enumerate(fillers):
                widths[i] += share + (1 if n < extra else 0)
        return widths

    def _as_table(self, width: int) -> Table:
        title = Text(self.title) if self.title is not None else None  # a file name is not rich markup
        table = Table(title=title, title_justify="left")
        for column, column_width in zip(self._columns, self._widths(width), strict=True):
            # Every column is at least as wide as its widest figure or id, so only text and headers wrap;
            # "fold" rather than rich's "ellipsis" in case a width were ever wrong: characters move, never vanish.
            header = Text(column.header)  # a user's column name is not rich markup either
            table.add_column(header, justify=column.justify, width=column_width, overflow="fold")  # type: ignore[arg-type]
        for index, row in enumerate(self._rows):
            if index in self._sections and index:
                table.add_section()
            table.add_row(*row)
        return table

    def _print_blocks(self, console: Console) -> None:
        """One block per row: the first cell as a heading, then the other cells as packed name: value pairs."""
        width = console.width - _INDENT
        if self.title:
            console.print(Text(self.title, style="italic"))
        for row in self._rows:
            first, *rest = zip(self._columns, row, strict=True)
            heading = _pair(*first, separator=" ")
            heading.stylize("bold")
            console.print(heading)
            line = Text()
            for column, cell in rest:
                if not cell.plain.strip():
                    continue
                pair = _pair(column, cell)
                if line.plain and cell_len(line.plain) + len(_PAIR_GAP) + cell_len(pair.plain) <= width:
                    line.append(_PAIR_GAP).append_text(pair)
                    continue
                if line.plain:
                    console.print(Padding(line, (0, 0, 0, _INDENT), expand=False))
                line = pair
            if line.plain:
                console.print(Padding(line, (0, 0, 0, _INDENT), expand=False))


def _pair(column: _Column, cell: Text, *, separator: str = ": ") -> Text:
    name = " ".join(column.header.split())
    if not name:
        return cell.copy()
    return Text(name + separator, style="dim" if separator == ": " else "").append_text(cell)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)
