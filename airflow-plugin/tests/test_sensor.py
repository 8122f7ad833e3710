import asyncio
import importlib
import json
import threading
import time

import pytest

from conftest import evaluate_later, partition, run_dag
from finledger_provider.hooks.finledger import FinLedgerHook
from finledger_provider.sensors.partition_ready import PartitionReadySensor


def failure_of(dag):
    callback = dag.get_task("ready").on_failure_callback
    callback = callback[0] if isinstance(callback, list) else callback
    return callback.__globals__["FAILURES"].get(dag.dag_id, "")


def test_poke_mode_passes_a_ready_partition_and_pushes_its_version(test_dags):
    dataset, date = partition("FINLEDGER_READY")

    state, xcom = run_dag(test_dags["sensor_poke_ready"])["ready"]

    assert state == "success"
    assert xcom["state"] == "READY" and xcom["version"] > 0
    assert (xcom["dataset"], xcom["partition"]) == (dataset, date)


def test_reschedule_mode_waits_until_checks_make_the_partition_ready(test_dags):
    dataset, date = partition("FINLEDGER_PENDING")
    assert FinLedgerHook().get_readiness(dataset, date).state == "PENDING"
    evaluate_later(dataset, date)

    state, xcom = run_dag(test_dags["sensor_reschedule_pending"])["ready"]

    assert state == "success"
    assert xcom["state"] == "READY"


def test_deferrable_mode_hands_the_wait_to_the_trigger(test_dags):
    dataset, date = partition("FINLEDGER_PENDING_DEFERRED")
    assert FinLedgerHook().get_readiness(dataset, date).state == "PENDING"
    evaluate_later(dataset, date)

    state, xcom = run_dag(test_dags["sensor_deferred_pending"])["ready"]

    assert state == "success"
    assert xcom == {**xcom, "dataset": dataset, "partition": date, "state": "READY"}


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_a_blocked_partition_fails_at_once_with_its_reasons(test_dags, mode):
    dataset, date = partition("FINLEDGER_BLOCKED")
    dag = test_dags[f"sensor_{mode}_blocked"]

    started = time.monotonic()
    state, _ = run_dag(dag)["ready"]

    assert state == "failed"
    assert time.monotonic() - started < 20, "no pointless waiting (poke_interval is 30 s): the first answer decides"
    assert f"{dataset} {date} is BLOCKED" in failure_of(dag)
    assert "refunds_payment_exists" in failure_of(dag)


@pytest.mark.parametrize("mode", ["poke", "deferred"])
def test_soft_fail_skips_a_blocked_partition(test_dags, mode):
    state, _ = run_dag(test_dags[f"sensor_{mode}_blocked_soft_fail"])["ready"]
    assert state == "skipped"


@pytest.mark.parametrize("dag_id", ["sensor_poke_timeout", "sensor_reschedule_timeout"])
def test_a_partition_that_stays_pending_times_out(test_dags, dag_id):
    dataset, date = partition("FINLEDGER_WAITING")

    state, _ = run_dag(test_dags[dag_id])["ready"]

    assert state == "failed"
    assert "timed out" in failure_of(test_dags[dag_id]).lower() or "timeout" in failure_of(test_dags[dag_id]).lower()
    assert FinLedgerHook().get_readiness(dataset, date).state == "PENDING"


def test_soft_fail_skips_on_timeout(test_dags):
    state, _ = run_dag(test_dags["sensor_poke_timeout_soft_fail"])["ready"]
    assert state == "skipped"


def triggerer_run(trigger, timeout=30):
    """
    Run a deferred trigger the way Airflow's triggerer does: rebuilt from serialize() (kwargs through
    JSON, as they are stored), iterated in an event loop for its first event, then cleaned up. Like
    Airflow 3.0's triggerer, a synchronous connection lookup on the event loop's thread is refused.
    """
    classpath, kwargs = trigger.serialize()
    module, _, name = classpath.rpartition(".")
    rebuilt = getattr(importlib.import_module(module), name)(**json.loads(json.dumps(kwargs)))
    lookup = FinLedgerHook.get_connection.__func__
    loop_threads = set()

    def guarded(cls, conn_id):
        if threading.get_ident() in loop_threads:
            raise RuntimeError(f"sync call in the event loop: get_connection({conn_id!r}) from a trigger's run()")
        return lookup(cls, conn_id)

    async def first_event():
        loop_threads.add(threading.get_ident())
        try:
            async for event in rebuilt.run():
                return event.payload
        finally:
            await rebuilt.cleanup() if asyncio.iscoroutinefunction(rebuilt.cleanup) else rebuilt.cleanup()

    FinLedgerHook.get_connection = classmethod(guarded)
    try:
        return asyncio.run(asyncio.wait_for(first_event(), timeout))
    finally:
        del FinLedgerHook.get_connection


def deferred(sensor):
    try:
        from airflow.sdk.exceptions import TaskDeferred
    except ImportError:
        from airflow.exceptions import TaskDeferred
    with pytest.raises(TaskDeferred) as handed_over:
        sensor.execute({})
    assert handed_over.value.method_name == "execute_complete"
    return handed_over.value.trigger


def test_the_trigger_runs_in_the_triggerer_without_blocking_its_loop():
    dataset, date = partition("FINLEDGER_PENDING_TRIGGER")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, deferrable=True,
                                  poke_interval=0.2, timeout=60)
    trigger = deferred(sensor)
    assert trigger.serialize()[0] == "finledger_provider.triggers.partition_ready.PartitionReadyTrigger"
    assert trigger.serialize()[1]["etag"], "the trigger starts from the version the sensor saw"

    evaluate_later(dataset, date, delay=1.0)
    event = triggerer_run(trigger)

    assert event["status"] == "ready", event
    assert event["readiness"]["state"] == "READY"
    assert sensor.execute_complete({}, event)["partition"] == date
