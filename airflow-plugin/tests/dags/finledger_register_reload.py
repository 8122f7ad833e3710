"""A load that reports its row count, for re-running it cleared with a corrected count."""
import os
from datetime import datetime

try:
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.decorators import task

from finledger_provider.operators.register_run import RegisterRunOperator

with DAG(dag_id="register_reload", schedule=None, start_date=datetime(2026, 11, 1), catchup=False) as dag:

    @task
    def load() -> int:
        return int(os.environ["FINLEDGER_TEST_ROWS"])  # what the (re)load found

    dataset, date = os.environ.get("FINLEDGER_REGISTER", "ledger_settlements/2026-11-02").split("/")
    load() >> RegisterRunOperator(task_id="register", dataset=dataset, partition=date,
                                  row_count="{{ ti.xcom_pull(task_ids='load') }}")
