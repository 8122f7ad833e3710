"""
Month-end rerun for a period: re-check every business day of the month and wait until all of them are
READY (or READY_WITH_EXCEPTION after a two-person override) before the close extracts run.
"""
from datetime import date, datetime, timedelta

try:
    from airflow.sdk import Param, task
except ImportError:  # Airflow 2.10
    from airflow.decorators import task
    from airflow.models.param import Param

from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from _finledger import DAG, SNOWFLAKE, SQL
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

FINANCE_DATASETS = ["ledger_settlements", "bank_settlement_lines", "settlements", "balances"]


def business_dates(period: str) -> list:
    """Every calendar day of a period 'YYYY-MM' (FinLedger settles every day)."""
    first = date.fromisoformat(period + "-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [(first + timedelta(days=i)).isoformat() for i in range((following - first).days)]


with DAG(
    dag_id="finledger_month_end_rerun",
    schedule=None,
    start_date=datetime(2026, 11, 1),
    template_searchpath=[SQL],
    params={"period": Param("2026-10", type="string", pattern=r"^\d{4}-\d{2}$"),
            "close_tables": ["settlements", "balances"]},
    tags=["finledger", "close"],
) as dag:

    @task
    def days_of(period: str) -> list:
        return business_dates(period)

    days = days_of("{{ params.period }}")
    previous = None
    for dataset in FINANCE_DATASETS:
        checks = RunChecksOperator.partial(task_id=f"checks_{dataset}", dataset=dataset, fail_on_blocked=False) \
            .expand(partition=days)
        ready = PartitionReadySensor.partial(task_id=f"ready_{dataset}", dataset=dataset, mode="reschedule",
                                             poke_interval=600).expand(partition=days)
        checks >> ready
        if previous is not None:
            previous >> checks
        previous = ready
    close_extracts = SQLExecuteQueryOperator(
        task_id="close_extracts",
        conn_id=SNOWFLAKE,
        sql="close_extracts.sql",
        split_statements=True,
    )
    previous >> close_extracts
