"""
The promise, on one laptop: a curated partition is built only from inputs that have earned their
ready flag. Curated ``refunds`` is built from the refunds ledger: the DAG waits until the business
date's ``ledger_refunds`` partition is ready in FinLedger Integrity (a BLOCKED input fails its sensor
at once with the reasons, so dbt never runs on it), then builds the model and what it needs with dbt,
then has the curated refunds partition evaluated and returns its verdict.

Against ``./mvnw quarkus:dev`` (http://localhost:8080, dbt in target/venvs/dbt, the embedded
PostgreSQL as dbt's ``local`` target):

    FINLEDGER_DBT=target/venvs/dbt/bin/dbt FINLEDGER_DBT_PG_PORT=62537 FINLEDGER_DBT_PG_PASSWORD=postgres \\
    AIRFLOW_CONN_FINLEDGER_DEFAULT='{"conn_type": "finledger", "host": "http://localhost:8080",
        "login": "pipeline", "password": "demo"}' \\
    airflow dags test finledger_local_dbt_build --conf '{"business_date": "2026-11-03"}'
"""
from datetime import datetime

from _finledger import DAG, dbt_build
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

BUSINESS_DATE = "{{ params.business_date }}"

with DAG(
    dag_id="finledger_local_dbt_build",
    schedule=None,
    start_date=datetime(2026, 11, 1),
    catchup=False,
    params={"business_date": "2026-11-03"},
    tags=["finledger", "local"],
) as dag:
    inputs = [
        PartitionReadySensor(task_id=f"{dataset}_ready", dataset=dataset, partition=BUSINESS_DATE, mode="poke",
                             poke_interval=2, timeout=300)
        for dataset in ("ledger_refunds",)  # curated.yaml: refunds is built_from ledger_refunds
    ]
    build = dbt_build("dbt_build", select="+refunds", dbt_vars="{business_date: " + BUSINESS_DATE + "}",
                      target="local")
    refunds_ready = RunChecksOperator(task_id="refunds_ready", dataset="refunds", partition=BUSINESS_DATE)

    inputs >> build >> refunds_ready
