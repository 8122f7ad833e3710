"""
The daily finance path of the three DMS-fed ledgers: Glue shapes the landed change files, Snowflake
COPYs them into RAW, FinLedger Integrity checks each partition, and the curated build and the finance
extracts only run once every input partition is READY.
"""
from datetime import datetime, timedelta

try:
    from airflow.sdk import DAG
except ImportError:
    from airflow import DAG

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

LEDGERS = {"payments": "payments", "ledger_refunds": "refunds", "ledger_settlements": "settlements"}
BUSINESS_DATE = "{{ data_interval_start | ds }}"

with DAG(
    dag_id="finledger_ledgers_daily",
    schedule="30 2 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["finledger", "finance"],
) as dag:
    ready_inputs = []
    for dataset, table in LEDGERS.items():
        shape = GlueJobOperator(
            task_id=f"glue_shape_{dataset}",
            job_name="finledger-dms-changes-to-parquet",
            script_args={"--dataset": dataset, "--business_date": BUSINESS_DATE},
        )
        copy = SQLExecuteQueryOperator(
            task_id=f"copy_raw_{dataset}",
            conn_id="snowflake_finledger",
            sql=f"copy into raw.{dataset} from @landing/{table}/business_date={BUSINESS_DATE}/ "
                "file_format = (type = parquet) match_by_column_name = case_insensitive",
            do_xcom_push=True,
        )
        register = RegisterRunOperator(
            task_id=f"register_{dataset}",
            dataset=dataset,
            partition=BUSINESS_DATE,
            row_count="{{ ti.xcom_pull(task_ids='copy_raw_" + dataset + "')[0][0] if ti.xcom_pull(task_ids='copy_raw_"
                      + dataset + "') else '' }}",
        )
        checks = RunChecksOperator(task_id=f"checks_{dataset}", dataset=dataset, partition=BUSINESS_DATE)
        ready = PartitionReadySensor(task_id=f"ready_{dataset}", dataset=dataset, partition=BUSINESS_DATE,
                                     mode="reschedule", poke_interval=120)
        shape >> copy >> register >> checks >> ready
        ready_inputs.append(ready)

    build_curated = SQLExecuteQueryOperator(
        task_id="build_curated",
        conn_id="snowflake_finledger",
        sql="call curated.build_partition('{{ data_interval_start | ds }}')",
    )
    curated_checks = [
        RunChecksOperator(task_id=f"checks_{name}", dataset=name, partition=BUSINESS_DATE)
        for name in ("transactions", "refunds", "settlements", "balances")
    ]
    finance_ready = PartitionReadySensor(task_id="ready_balances", dataset="balances", partition=BUSINESS_DATE,
                                         deferrable=True, poke_interval=300)
    extracts = SQLExecuteQueryOperator(
        task_id="finance_extracts",
        conn_id="snowflake_finledger",
        sql="copy into @finance_extracts/balances/{{ data_interval_start | ds }}/ from curated.balances",
    )
    ready_inputs >> build_curated >> curated_checks >> finance_ready >> extracts
