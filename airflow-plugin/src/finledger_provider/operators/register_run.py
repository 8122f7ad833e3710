"""Tell FinLedger Integrity that a load or transform ran, exactly once per task instance."""
from __future__ import annotations

from finledger_provider._compat import BaseOperator
from finledger_provider.hooks.finledger import FinLedgerApiError, FinLedgerHook
from finledger_provider.lineage import dataset_name, operator_lineage


def idempotency_parts(context) -> dict:
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    return {"dagId": ti.dag_id, "runId": context["run_id"], "taskId": ti.task_id,
            "mapIndex": -1 if map_index is None else int(map_index)}


class RegisterRunOperator(BaseOperator):
    """
    Reports a run of a load or transform for ``dataset``/``partition`` with the rows and per-currency
    totals (minor units) it produced. The idempotency key is dag_id/run_id/task_id/map_index, so a
    retried task reports once; the partition is marked as having new data and will be re-checked.
    A cleared task that reloaded and reports different figures under the same key supersedes the
    earlier report (kept, with the new one beside it) instead of failing.

    ``table`` (``DATABASE.SCHEMA.TABLE`` of ``table_conn_id``, or an ``s3://`` location) is the
    OpenLineage output, named as Airflow's SQL operators name it.
    """

    template_fields = ("dataset", "partition", "row_count", "amounts", "status", "table")

    def __init__(self, *, dataset: str, partition: str, row_count: int | str | None = None,
                 amounts: dict | None = None, status: str = "SUCCESS", table: str | None = None,
                 table_conn_id: str | None = None,
                 finledger_conn_id: str = FinLedgerHook.default_conn_name, **kwargs):
        super().__init__(**kwargs)
        self.dataset = dataset
        self.partition = partition
        self.row_count = row_count
        self.amounts = amounts
        self.status = status
        self.table = table
        self.table_conn_id = table_conn_id
        self.finledger_conn_id = finledger_conn_id
        self.registered: dict | None = None

    def execute(self, context) -> dict:
        report = idempotency_parts(context)
        report.update({
            "dataset": self.dataset, "partition": self.partition, "status": self.status,
            "rowCount": None if self.row_count in (None, "") else int(self.row_count),
            # money travels as strings of minor units: never through a float
            "amounts": {c: str(int(v)) for c, v in (self.amounts or {}).items()},
        })
        hook = FinLedgerHook(self.finledger_conn_id)
        try:
            self.registered = hook.register_run(report)
        except FinLedgerApiError as conflict:
            if conflict.status != 409:
                raise
            # a cleared task re-ran and loaded different figures: they replace the earlier report
            self.log.warning("%s; registering this reload as a correction", conflict.detail)
            self.registered = hook.register_run({**report, "supersede": True})
        self.log.info("registered run %s of %s %s (duplicate: %s)", self.registered["idempotencyKey"], self.dataset,
                      self.partition, self.registered["duplicate"])
        return self.registered

    def get_openlineage_facets_on_complete(self, task_instance):
        if not self.table:
            return None
        return operator_lineage(outputs=[dataset_name(self.table, self.table_conn_id)])
