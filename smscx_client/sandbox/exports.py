"""CSV and XLSX files for the export endpoints."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

from smscx_client.sandbox.wire import Reply

__all__ = ["csv_reply", "xlsx_reply", "XLSX_TYPE"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_reply(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Reply:
    """A CSV download (``application/csv``, as the API declares it)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return Reply(
        200,
        buf.getvalue(),
        content_type="application/csv",
        headers={"Content-Disposition": 'attachment; filename="{}"'.format(filename)},
    )


def xlsx_reply(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Export") -> Reply:
    """A real XLSX workbook (written with XlsxWriter, the sandbox extra)."""
    try:
        import xlsxwriter
    except ImportError:
        from smscx_client.sandbox.phones import MISSING_EXTRA

        raise RuntimeError(MISSING_EXTRA) from None
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, list(header), bold)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, [_cell(v) for v in row])
    book.close()
    return Reply(
        200,
        buf.getvalue(),
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="{}"'.format(filename)},
    )
