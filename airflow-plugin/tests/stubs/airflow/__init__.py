"""
Minimal stand-ins for the parts of Apache Airflow 2.x the provider and example DAGs touch (Airflow is
not installable here). They behave like Airflow where the tests depend on it: connections from
AIRFLOW_CONN_* JSON, unknown operator arguments rejected, sensors poking until done or timed out,
deferral raising TaskDeferred.
"""
from airflow.models.dag import DAG  # noqa: F401  (``from airflow import DAG``)
