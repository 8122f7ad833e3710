"""
The daily finance path of the three DMS-fed ledgers. DMS lands change files, Glue shapes them into
Parquet, Snowflake COPYs each business date into RAW, FinLedger Integrity checks each partition, dbt
builds staging and curated once every input is READY, the curated partitions are checked in turn,
and the finance extract is unloaded only once balances is READY.

The 02:30 run covers the business day that just ended: the explicit CronDataIntervalTimetable gives
it the interval [yesterday 02:30, today 02:30), so ``data_interval_start | ds`` is yesterday (Airflow 3
would otherwise read the cron string as a trigger timetable, whose interval starts at the run itself).
"""
from datetime import datetime, timedelta

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from _finledger import DAG, SNOWFLAKE, SQL, STAGE_PARAMS, TIMEZONE, CronDataIntervalTimetable, dbt_build
from finledger_provider.copy_into import rows_loaded
from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

# dataset -> the folder its DMS change files land in
LEDGERS = {"payments": "payments", "ledger_refunds": "refunds", "ledger_settlements": "settlements"}
CURATED = ["transactions", "refunds", "settlements", "balances"]
BUSINESS_DATE = "{{ data_interval_start | ds }}"

with DAG(
    dag_id="finledger_ledgers_daily",
    schedule=CronDataIntervalTimetable("30 2 * * *", timezone=TIMEZONE),
    start_date=datetime(2026, 11, 1),
    catchup=False,
    template_searchpath=[SQL],
    params=STAGE_PARAMS,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["finledger", "finance"],
) as dag:
    stages = SQLExecuteQueryOperator(task_id="ensure_stages", conn_id=SNOWFLAKE, sql="stages.sql",
                                     split_statements=True)
    ready_inputs = []
    for dataset, folder in LEDGERS.items():
        shape = GlueJobOperator(
            task_id=f"glue_shape_{dataset}",
            job_name="finledger-landing-compaction",
            script_args={"--dataset": dataset, "--folder": folder, "--business_date": BUSINESS_DATE},
        )
        copy = SQLExecuteQueryOperator(
            task_id=f"copy_raw_{dataset}",
            conn_id=SNOWFLAKE,
            sql="copy_raw.sql",
            params={"dataset": dataset, "folder": folder},
            handler=rows_loaded,  # XCom: rows_loaded summed over the files COPY reports
        )
        register = RegisterRunOperator(
            task_id=f"register_{dataset}",
            dataset=dataset,
            partition=BUSINESS_DATE,
            row_count="{{ ti.xcom_pull(task_ids='copy_raw_" + dataset + "') }}",
            table=f"RAW.{dataset}",
            table_conn_id=SNOWFLAKE,
        )
        checks = RunChecksOperator(task_id=f"checks_{dataset}", dataset=dataset, partition=BUSINESS_DATE,
                                   table=f"RAW.{dataset}", table_conn_id=SNOWFLAKE)
        ready = PartitionReadySensor(task_id=f"ready_{dataset}", dataset=dataset, partition=BUSINESS_DATE,
                                     mode="reschedule", poke_interval=120)
        stages >> shape >> copy >> register >> checks >> ready
        ready_inputs.append(ready)

    build = dbt_build("dbt_build", select="staging curated", dbt_vars="{business_date: " + BUSINESS_DATE + "}")
    curated_checks = [
        RunChecksOperator(task_id=f"checks_{name}", dataset=name, partition=BUSINESS_DATE,
                          table=f"CURATED.{name}", table_conn_id=SNOWFLAKE)
        for name in CURATED
    ]
    finance_ready = PartitionReadySensor(task_id="ready_balances", dataset="balances", partition=BUSINESS_DATE,
                                         deferrable=True, poke_interval=300)
    extracts = SQLExecuteQueryOperator(task_id="finance_extracts", conn_id=SNOWFLAKE, sql="finance_extracts.sql")
    ready_inputs >> build >> curated_checks >> finance_ready >> extracts
