"""Reading Snowflake's answer to ``COPY INTO <table>``."""
from __future__ import annotations


def rows_loaded(cursor) -> int:
    """
    A DB-API ``handler`` for ``SQLExecuteQueryOperator``: the rows a ``COPY INTO <table>`` loaded. Snowflake
    answers one row per file (file, status, rows_parsed, rows_loaded, ...), or a single ``status`` row
    "Copy executed with 0 files processed." when there was nothing new; the count is ``rows_loaded``
    summed over the files, found by column name.
    """
    columns = [d[0].lower() for d in cursor.description or ()]
    rows = cursor.fetchall()
    if "rows_loaded" in columns:
        at = columns.index("rows_loaded")
        return sum(int(row[at]) for row in rows)
    if columns == ["status"] and all("0 files processed" in str(row[0]) for row in rows):
        return 0
    raise ValueError(f"not the answer of a COPY INTO <table>: columns {columns}")
