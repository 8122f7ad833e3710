"""Ask FinLedger Integrity to evaluate a partition and act on the verdict."""
from __future__ import annotations

from finledger_provider._compat import AirflowException, BaseOperator
from finledger_provider.hooks.finledger import FinLedgerHook, readiness_from
from finledger_provider.lineage import dataset_name, operator_lineage
from finledger_provider.sensors.partition_ready import PartitionBlocked, verdict, xcom_of


class RunChecksOperator(BaseOperator):
    """
    Evaluates ``dataset``/``partition`` now (control totals, controls, rules) and waits for the verdict:
    returns the readiness when usable, fails with the reasons when BLOCKED (unless ``fail_on_blocked``
    is False, for reporting DAGs). Lineage reads ``table`` (``DATABASE.SCHEMA.TABLE`` of ``table_conn_id``,
    or an ``s3://`` location) with the rule results as its data-quality assertions.
    """

    template_fields = ("dataset", "partition", "table")

    def __init__(self, *, dataset: str, partition: str, allow_exception: bool = True, fail_on_blocked: bool = True,
                 table: str | None = None, table_conn_id: str | None = None,
                 finledger_conn_id: str = FinLedgerHook.default_conn_name, **kwargs):
        super().__init__(**kwargs)
        self.dataset = dataset
        self.partition = partition
        self.allow_exception = allow_exception
        self.fail_on_blocked = fail_on_blocked
        self.table = table
        self.table_conn_id = table_conn_id
        self.finledger_conn_id = finledger_conn_id
        self.assertions: list = []

    def execute(self, context) -> dict:
        hook = FinLedgerHook(self.finledger_conn_id)
        evaluation = hook.evaluate(self.dataset, self.partition)
        readiness = readiness_from(evaluation["readiness"], None)
        checks = hook.checks(self.dataset, self.partition)
        self.assertions = [{"assertion": r["name"], "success": r["passed"]} for r in checks.get("rules", [])]
        self.log.info("evaluation %s: %s %s is %s", evaluation["evaluationId"], self.dataset, self.partition,
                      readiness.state)
        try:
            if verdict(readiness, self.allow_exception):
                return xcom_of(readiness)
        except PartitionBlocked:
            if self.fail_on_blocked:
                raise
            return xcom_of(readiness)
        raise AirflowException(f"{self.dataset} {self.partition} is still {readiness.state} after evaluation")

    def get_openlineage_facets_on_complete(self, task_instance):
        if not self.table:
            return None
        return operator_lineage(inputs=[dataset_name(self.table, self.table_conn_id)], assertions=self.assertions)
