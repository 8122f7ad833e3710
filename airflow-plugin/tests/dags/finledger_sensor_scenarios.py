"""
One small DAG per sensor scenario the tests run with dag.test(): the partitions come from the
environment AirflowProviderTest prepares. A task's failure is recorded by its callback so the tests
can read the reason Airflow failed it with.
"""
import os
from datetime import datetime

try:
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG

from finledger_provider.sensors.partition_ready import PartitionReadySensor

FAILURES = {}


def record_failure(context):
    FAILURES[context["ti"].dag_id] = str(context.get("exception"))


SCENARIOS = {
    # dag_id: (partition variable, sensor arguments)
    "sensor_poke_ready": ("FINLEDGER_READY", {"mode": "poke"}),
    "sensor_reschedule_pending": ("FINLEDGER_PENDING", {"mode": "reschedule", "poke_interval": 1}),
    "sensor_deferred_pending": ("FINLEDGER_PENDING_DEFERRED", {"deferrable": True, "poke_interval": 0.5}),
    "sensor_poke_blocked": ("FINLEDGER_BLOCKED", {"mode": "poke", "poke_interval": 30}),
    "sensor_deferred_blocked": ("FINLEDGER_BLOCKED", {"deferrable": True, "poke_interval": 30}),
    "sensor_poke_blocked_soft_fail": ("FINLEDGER_BLOCKED", {"mode": "poke", "soft_fail": True}),
    "sensor_deferred_blocked_soft_fail": ("FINLEDGER_BLOCKED", {"deferrable": True, "soft_fail": True}),
    "sensor_poke_timeout": ("FINLEDGER_WAITING", {"mode": "poke", "poke_interval": 0.5, "timeout": 2}),
    "sensor_reschedule_timeout": ("FINLEDGER_WAITING", {"mode": "reschedule", "poke_interval": 1, "timeout": 2}),
    "sensor_poke_timeout_soft_fail": ("FINLEDGER_WAITING", {"mode": "poke", "poke_interval": 0.5, "timeout": 2,
                                                            "soft_fail": True}),
}

for dag_id, (variable, arguments) in SCENARIOS.items():
    dataset, date = os.environ.get(variable, "payments/2026-11-02").split("/")
    with DAG(dag_id=dag_id, schedule=None, start_date=datetime(2026, 11, 1), catchup=False) as dag:
        PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, on_failure_callback=record_failure,
                             **{"poke_interval": 1, "timeout": 60, **arguments})
    globals()[dag_id] = dag
