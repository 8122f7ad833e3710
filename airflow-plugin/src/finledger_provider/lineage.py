"""
OpenLineage datasets named the way Airflow's own operators name them, so the control plane's
register and check nodes join the tables that SQL operators read and write: a warehouse table is
``snowflake://<account>`` / ``DATABASE.SCHEMA.TABLE`` (what the connection's SQL hook reports), an
object-store location ``s3://<bucket>`` / ``<key prefix>``.

OpenLineage is imported only when lineage is asked for, after a task ran: DAG files that import the
operators stay quick to parse, and the provider works without the OpenLineage provider installed.
"""
from __future__ import annotations

from urllib.parse import urlparse

from finledger_provider._compat import BaseHook


def dataset_name(table: str, table_conn_id: str | None) -> tuple[str, str]:
    """(namespace, name) of ``table``: an ``s3://bucket/prefix`` URI, or a table of ``table_conn_id``'s database."""
    if "://" in table:
        uri = urlparse(table)
        return f"{uri.scheme}://{uri.netloc}", uri.path.lstrip("/") or "/"
    if not table_conn_id:
        raise ValueError(f"table {table} needs table_conn_id, the connection of the database that holds it")
    from airflow.providers.openlineage.sqlparser import SQLParser

    connection = BaseHook.get_connection(table_conn_id)
    hook = connection.get_hook()
    info = hook.get_openlineage_database_info(connection)
    parts = table.split(".")
    if len(parts) < 3:
        default_schema = hook.get_openlineage_default_schema() if len(parts) == 1 else None
        parts = [p for p in (info.database, default_schema) if p][: 3 - len(parts)] + parts
    name = ".".join(parts)
    return SQLParser.create_namespace(info), name.upper() if info.is_uppercase_names else name


def operator_lineage(*, inputs=(), outputs=(), assertions: list | None = None):
    """
    An ``OperatorLineage`` over (namespace, name) pairs. Rule results travel as the
    DataQualityAssertions facet of each *input* dataset: it is an input-dataset facet in the spec.
    Returns None when the OpenLineage provider is not installed.
    """
    try:
        from airflow.providers.openlineage.extractors import OperatorLineage
        from openlineage.client.event_v2 import InputDataset, OutputDataset
        from openlineage.client.facet_v2 import data_quality_assertions_dataset as dqa
    except ImportError:
        return None
    input_facets = {}
    if assertions:
        input_facets["dataQualityAssertions"] = dqa.DataQualityAssertionsDatasetFacet(
            assertions=[dqa.Assertion(assertion=a["assertion"], success=a["success"]) for a in assertions])
    return OperatorLineage(
        inputs=[InputDataset(namespace=ns, name=name, inputFacets=dict(input_facets)) for ns, name in inputs],
        outputs=[OutputDataset(namespace=ns, name=name) for ns, name in outputs],
    )
