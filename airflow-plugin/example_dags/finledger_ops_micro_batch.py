"""
The operations micro-batch: every 15 minutes, once the window's payments, refunds and processor
transactions are READY in FinLedger Integrity, dbt rebuilds the operations models for that window.
Operations datasets are partitioned by 15-minute windows of their time column; a window's partition
key is its start in UTC, e.g. 2026-11-02T10:15Z (the business date stays the daily roll-up that the
finance DAGs wait for).

The run at 10:30 waits for the window [10:15, 10:30) that has just closed: the explicit
CronDataIntervalTimetable makes that window the run's data interval (Airflow 3 would otherwise start
the interval at the run itself, the window that is only opening).
"""
from datetime import datetime, timedelta

from _finledger import DAG, TIMEZONE, CronDataIntervalTimetable, dbt_build
from finledger_provider.sensors.partition_ready import PartitionReadySensor

OPS_DATASETS = ["payments", "ledger_refunds", "alpha_transactions", "beta_transactions"]
WINDOW = "{{ data_interval_start.strftime('%Y-%m-%dT%H:%MZ') }}"

with DAG(
    dag_id="finledger_ops_micro_batch",
    schedule=CronDataIntervalTimetable("*/15 * * * *", timezone=TIMEZONE),
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
    refresh = dbt_build("dbt_build_ops_window", select="transactions refunds",
                        dbt_vars="{business_date: {{ data_interval_start | ds }}, window_start: '" + WINDOW + "'}")
    ready >> refresh
