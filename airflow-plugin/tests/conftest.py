"""
The provider's tests run inside real Apache Airflow (3.x and 2.10, one virtual environment each, see
tools/python/) against the real FinLedger Integrity control plane. AirflowProviderTest (./mvnw verify)
starts the control plane, prepares partitions in known states, migrates a SQLite metadata DB under
target/ and runs this suite with FINLEDGER_URL, the partitions, AIRFLOW_HOME and PYTHONPATH=src:example_dags.
"""
import json
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("FINLEDGER_URL")


def pytest_configure(config):
    config.addinivalue_line("markers", "changes_state: changes the control plane's state; runs after every other test")


def pytest_collection_modifyitems(items):
    """Tests that change what others read (a release) run last, whatever their file is called."""
    items.sort(key=lambda item: item.get_closest_marker("changes_state") is not None)


def airflow_major() -> int:
    import airflow

    return int(airflow.__version__.split(".")[0])


def connection(url=None, login="pipeline", password="demo", **extra):
    settings = {"retries": 2, "backoff": 0.05, "timeout": 10}
    settings.update(extra)
    return json.dumps({"conn_type": "finledger", "host": url or URL, "login": login, "password": password,
                       "extra": settings})


@pytest.fixture(autouse=True)
def finledger_default(monkeypatch):
    if URL is None:
        pytest.fail("FINLEDGER_URL is not set: run these through ./mvnw verify (AirflowProviderTest), which starts "
                    "the control plane and prepares the partitions")
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_DEFAULT", connection())


def partition(name):
    """A partition the Maven test prepared, as (dataset, business date)."""
    dataset, date = os.environ[name].split("/")
    return dataset, date


def context(run_id, dag_id="finledger_test", task_id="task", map_index=-1):
    """The two context entries the operators read, for calling execute() directly."""
    return {"ti": SimpleNamespace(dag_id=dag_id, task_id=task_id, map_index=map_index), "run_id": run_id}


def dag_bag(folder):
    try:
        from airflow.dag_processing.dagbag import DagBag  # Airflow 3
        return DagBag(dag_folder=str(folder))
    except ImportError:
        from airflow.models.dagbag import DagBag
        return DagBag(dag_folder=str(folder), include_examples=False)


@pytest.fixture(scope="session")
def test_dags():
    """The DAGs of tests/dags, parsed the way the scheduler parses them (dag.test() on 3.x needs them there)."""
    bag = dag_bag(os.environ.get("AIRFLOW__CORE__DAGS_FOLDER", ROOT / "tests" / "dags"))
    assert bag.import_errors == {}
    return bag.dags


def run_dag(dag, **kwargs):
    """
    dag.test(); returns {task_id: (state, XCom return value)}. Run again with the same logical date, it
    clears the run's task instances and re-runs them in the same run, as clearing a task does (Airflow 3
    names a run by its run_after too, so that is pinned to the logical date).
    """
    if airflow_major() >= 3 and "logical_date" in kwargs:
        kwargs.setdefault("run_after", kwargs["logical_date"])
    elif "logical_date" in kwargs:  # Airflow 2.10's name for it
        kwargs["execution_date"] = kwargs.pop("logical_date")
        # 2.10's dag.test() replaces an existing run of that date (same run_id); deleting it needs the
        # FAB user table (dag_run_note.user_id) known to SQLAlchemy, which only the webserver imports
        import airflow.providers.fab.auth_manager.models  # noqa: F401
    run = dag.test(**kwargs)
    return {ti.task_id: (str(ti.state).split(".")[-1].lower(), ti.xcom_pull(task_ids=ti.task_id))
            for ti in run.get_task_instances()}


def evaluate_later(dataset, date, delay=1.5):
    """Evaluate the partition from another thread while a sensor waits for it."""
    from finledger_provider.hooks.finledger import FinLedgerHook

    def evaluate():
        time.sleep(delay)
        FinLedgerHook().evaluate(dataset, date)

    thread = threading.Thread(target=evaluate, daemon=True)
    thread.start()
    return thread
