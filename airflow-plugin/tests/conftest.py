"""
The provider is tested against the real FinLedger Integrity control plane, which the Maven build
starts and points us at (FINLEDGER_URL and the partitions it prepared). Airflow itself is replaced by
the minimal stand-ins in tests/stubs.
"""
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "stubs"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "example_dags"))

URL = os.environ.get("FINLEDGER_URL")


def connection(url=None, login="pipeline", password="demo", **extra):
    settings = {"retries": 2, "backoff": 0.05, "timeout": 10}
    settings.update(extra)
    return json.dumps({"conn_type": "finledger", "host": url or URL, "login": login, "password": password,
                       "extra": settings})


@pytest.fixture(autouse=True)
def finledger_default(monkeypatch):
    if URL is None:
        pytest.skip("FINLEDGER_URL is not set: run these through ./mvnw verify, which starts the control plane")
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_DEFAULT", connection())


def partition(name):
    """A partition the Maven test prepared, as (dataset, business date)."""
    dataset, date = os.environ[name].split("/")
    return dataset, date


class TI:
    def __init__(self, dag_id, task_id, map_index=-1):
        self.dag_id = dag_id
        self.task_id = task_id
        self.map_index = map_index


def context(run_id, dag_id="finledger_test", task_id="task", map_index=-1):
    return {"ti": TI(dag_id, task_id, map_index), "run_id": run_id}
