"""
Northbank's daily settlement report: wait for the file, load it, and hold reconciliation until its
partition is READY (a late, resent or malformed file blocks it with the reason).
"""
from datetime import datetime

try:
    from airflow.sdk import DAG
except ImportError:
    from airflow import DAG

from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionReadySensor

BUSINESS_DATE = "{{ data_interval_start | ds }}"

with DAG(
    dag_id="finledger_partner_files",
    schedule="0 7 * * 1-5",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    tags=["finledger", "partner"],
) as dag:
    arrived = S3KeySensor(
        task_id="report_arrived",
        bucket_key="s3://finledger-landing/landing/northbank_partner/settlement_report/"
                   "settlement_report_{{ data_interval_start | ds_nodash }}*.csv",
        wildcard_match=True,
        mode="reschedule",
        poke_interval=300,
        timeout=6 * 3600,
    )
    load = SQLExecuteQueryOperator(
        task_id="copy_raw_bank_settlement_lines",
        conn_id="snowflake_finledger",
        sql="copy into raw.bank_settlement_lines from @landing/northbank_partner/settlement_report/ "
            "pattern = '.*settlement_report_{{ data_interval_start | ds_nodash }}.*[.]csv'",
    )
    register = RegisterRunOperator(task_id="register_load", dataset="bank_settlement_lines", partition=BUSINESS_DATE)
    checks = RunChecksOperator(task_id="checks", dataset="bank_settlement_lines", partition=BUSINESS_DATE)
    ready = PartitionReadySensor(task_id="ready", dataset="bank_settlement_lines", partition=BUSINESS_DATE,
                                 allow_exception=False, mode="reschedule")
    reconcile = SQLExecuteQueryOperator(
        task_id="reconcile_bank_vs_ledger",
        conn_id="snowflake_finledger",
        sql="call recon.match_bank_settlements('{{ data_interval_start | ds }}')",
    )
    arrived >> load >> register >> checks >> ready >> reconcile
