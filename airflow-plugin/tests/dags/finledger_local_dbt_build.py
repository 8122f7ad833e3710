"""
The shipped local promise DAG (example_dags/finledger_local_dbt_build.py), in the tests' airflow DAG
folder so dag.test() runs it as the scheduler would.
"""
from finledger_local_dbt_build import dag  # noqa: F401
