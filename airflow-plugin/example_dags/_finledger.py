"""What the FinLedger example DAGs share: Airflow imports from their current homes, connections, the dbt call."""
import os
from pathlib import Path

try:
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG

try:
    from airflow.sdk import CronDataIntervalTimetable
except ImportError:  # Airflow 2.10 and 3.0
    from airflow.timetables.interval import CronDataIntervalTimetable

try:
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2.10
    from airflow.operators.bash import BashOperator

SNOWFLAKE = "snowflake_finledger"
SQL = str(Path(__file__).parent / "sql")
# The dbt project of the warehouse models (ingestion-config/ in this repository; profiles in its profiles/).
DBT_PROJECT_DIR = os.environ.get("FINLEDGER_DBT_PROJECT_DIR",
                                 str(Path(__file__).resolve().parents[2] / "ingestion-config"))
# deploy/ names buckets <prefix>-<purpose>-<account>-<region>: the environment gives the real names.
STAGE_PARAMS = {"landing_bucket": os.environ.get("FINLEDGER_LANDING_BUCKET", "finledger-landing"),
                "extracts_bucket": os.environ.get("FINLEDGER_EXTRACTS_BUCKET", "finledger-extracts"),
                "storage_integration": os.environ.get("FINLEDGER_STORAGE_INTEGRATION", "finledger_s3")}
TIMEZONE = "UTC"


def dbt_build(task_id: str, select: str, dbt_vars: str, target: str = "snowflake", **kwargs) -> BashOperator:
    """
    ``dbt build`` of ``select`` through dbt's CLI (``$FINLEDGER_DBT``, else ``dbt`` on the PATH); the
    connections come from ``profiles/profiles.yml`` of the project and its environment variables;
    ``dbt_vars`` is a YAML mapping (templated).
    """
    return BashOperator(
        task_id=task_id,
        bash_command=f"\"${{FINLEDGER_DBT:-dbt}}\" build --project-dir \"$DBT_PROJECT_DIR\" "
                     f"--profiles-dir \"$DBT_PROJECT_DIR/profiles\" --target {target} --select {select} "
                     f"--vars '{dbt_vars}'",
        env={"DBT_PROJECT_DIR": DBT_PROJECT_DIR},
        append_env=True,
        **kwargs,
    )
