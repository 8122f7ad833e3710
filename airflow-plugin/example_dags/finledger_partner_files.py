"""
Northbank's daily settlement report: wait for the file, load it, and hold reconciliation (dbt's
settlements model, ledger and bank side by side) until its partition is READY; a late, resent or
malformed file blocks it with the reason. The 07:00 run on a weekday covers the previous
weekday's report (explicit CronDataIntervalTimetable: the interval ends at the run).
"""
from datetime import datetime

from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from _finledger import DAG, SNOWFLAKE, TIMEZONE, CronDataIntervalTimetable, dbt_build
from finledger_provider.copy_into import rows_loaded
from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

BUSINESS_DATE = "{{ data_interval_start | ds }}"
REPORTS = "s3://finledger-landing/landing/northbank_partner/settlement_report/"

with DAG(
    dag_id="finledger_partner_files",
    schedule=CronDataIntervalTimetable("0 7 * * 1-5", timezone=TIMEZONE),
    start_date=datetime(2026, 11, 1),
    catchup=False,
    tags=["finledger", "partner"],
) as dag:
    arrived = S3KeySensor(
        task_id="report_arrived",
        bucket_key=REPORTS + "settlement_report_{{ data_interval_start | ds_nodash }}*.csv",
        wildcard_match=True,
        mode="reschedule",
        poke_interval=300,
        timeout=6 * 3600,
    )
    load = SQLExecuteQueryOperator(
        task_id="copy_raw_bank_settlement_lines",
        conn_id=SNOWFLAKE,
        sql="copy into raw.bank_settlement_lines from @raw.landing/northbank_partner/settlement_report/ "
            "pattern = '.*settlement_report_{{ data_interval_start | ds_nodash }}.*[.]csv' "
            "file_format = (type = csv skip_header = 1)",
        handler=rows_loaded,
    )
    register = RegisterRunOperator(task_id="register_load", dataset="bank_settlement_lines", partition=BUSINESS_DATE,
                                   row_count="{{ ti.xcom_pull(task_ids='copy_raw_bank_settlement_lines') }}",
                                   table="RAW.bank_settlement_lines", table_conn_id=SNOWFLAKE)
    checks = RunChecksOperator(task_id="checks", dataset="bank_settlement_lines", partition=BUSINESS_DATE,
                               table="RAW.bank_settlement_lines", table_conn_id=SNOWFLAKE)
    ready = PartitionReadySensor(task_id="ready", dataset="bank_settlement_lines", partition=BUSINESS_DATE,
                                 allow_exception=False, mode="reschedule")
    reconcile = dbt_build("reconcile_bank_vs_ledger", select="settlements",
                          dbt_vars="{business_date: " + BUSINESS_DATE + "}")
    arrived >> load >> register >> checks >> ready >> reconcile
