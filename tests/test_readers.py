"""The two CSV readers: Arrow's column reader for plain files, and the line-by-line reader
for everything else. They must give the same table wherever both can read a file."""

from __future__ import annotations

import pytest

from sharedsvc_core.readers import _read_lines, _read_plain_csv

PLAIN = [
    "a,b,c\n1,2,3\n4,5,6\n",
    "a,b,c\r\n1,2,3\r\n4,5,6",  # Windows line ends, no newline at the end
    'a,b,c\n"1,000",two words,"say ""hello"""\n , x ,\n',  # quotes, commas, spaces
    "a;b;c\n1;2;3\n",  # semicolons
    "a,b,c\n£1,é,–\n",
]
NOT_PLAIN = [
    "a,b,c\n1,2,3\n\n4,5,6\n",  # a blank line
    'a,b,c\n1,"two\nlines",3\n',  # a value over two lines
    "a,b,c\n1,2,3,4\n",  # a longer row
    "a,b,c\n1,2\n",  # a shorter row
    "a,b,c\n,,\n1,2,3\n",  # a row of empty cells
    "\na,b,c\n1,2,3\n",  # a blank first line
]


@pytest.mark.parametrize("text", PLAIN)
def test_both_readers_agree_on_plain_files(text: str) -> None:
    delimiter = ";" if ";" in text else ","
    fast = _read_plain_csv(text, delimiter, "UTF-8")
    assert fast is not None, "a plain file should take the fast reader"
    slow = _read_lines(text, delimiter, "UTF-8")
    assert (
        fast.header,
        fast.header_row,
        fast.row_numbers,
        fast.lengths,
        fast.columns,
        fast.blank_rows,
    ) == (
        slow.header,
        slow.header_row,
        slow.row_numbers,
        slow.lengths,
        slow.columns,
        slow.blank_rows,
    )


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_files_that_are_not_plain_take_the_line_by_line_reader(text: str) -> None:
    assert _read_plain_csv(text, ",", "UTF-8") is None
    table = _read_lines(text, ",", "UTF-8")
    assert table.header == ["a", "b", "c"]


def test_line_numbers_survive_blank_lines_and_long_values() -> None:
    table = _read_lines('a,b\n1,2\n\n3,"x\ny"\n5,6\n', ",", "UTF-8")
    assert table.row_numbers == [2, 4, 6] and table.blank_rows == [3]
