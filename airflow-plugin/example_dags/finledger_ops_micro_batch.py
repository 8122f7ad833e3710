"""
The operations micro-batch: every 15 minutes, once the window's payments, refunds and processor
transactions are READY in FinLedger Integrity, refresh the reconciliation tables operations work from.
Operations datasets are partitioned by 15-minute windows of their time column; a window's partition
key is its start in UTC, e.g. 2026-11-02T10:15Z (the business date, e.g. 2026-11-02, stays the daily
roll-up that finance DAGs wait for).
"""
from datetime import datetime, timedelta

try:
    from airflow.sdk import DAG
except ImportError:
    from airflow import DAG

from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from finledger_provider.sensors.partition_ready import PartitionReadySensor

OPS_DATASETS = ["payments", "ledger_refunds", "alpha_transactions", "beta_transactions"]
WINDOW = "{{ data_interval_start.strftime('%Y-%m-%dT%H:%MZ') }}"

with DAG(
    dag_id="finledger_ops_micro_batch",
    schedule="*/15 * * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=4,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=2)},
    tags=["finledger", "operations"],
) as dag:
    ready = [
        PartitionReadySensor(task_id=f"ready_{dataset}", dataset=dataset, partition=WINDOW, deferrable=True,
                             poke_interval=30, timeout=int(timedelta(minutes=45).total_seconds()))
        for dataset in OPS_DATASETS
    ]
    refresh = SQLExecuteQueryOperator(
        task_id="refresh_ops_reconciliation",
        conn_id="snowflake_finledger",
        sql="call ops.refresh_reconciliation(to_timestamp_tz('" + WINDOW + "'), interval '15 minutes')",
    )
    ready >> refresh
