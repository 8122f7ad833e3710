import asyncio
import threading
import time

import pytest
from airflow.exceptions import TaskDeferred

from conftest import context, partition
from finledger_provider.hooks.finledger import FinLedgerHook
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionBlocked, PartitionReadySensor


def test_a_ready_partition_passes_and_pushes_its_version():
    dataset, date = partition("FINLEDGER_READY")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, poke_interval=1, timeout=10)

    result = sensor.execute(context("run-ready"))

    assert result["state"] == "READY"
    assert result["version"] > 0
    assert (result["dataset"], result["partition"]) == (dataset, date)


def test_a_blocked_partition_fails_at_once_with_its_reasons():
    dataset, date = partition("FINLEDGER_BLOCKED")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, poke_interval=30)

    started = time.monotonic()
    with pytest.raises(PartitionBlocked) as blocked:
        sensor.execute(context("run-blocked"))

    assert time.monotonic() - started < 5, "no pointless poking: the first answer decides"
    assert f"{dataset} {date} is BLOCKED" in str(blocked.value)
    assert "refunds_payment_exists" in str(blocked.value)


def test_a_pending_partition_keeps_waiting_until_it_becomes_ready():
    dataset, date = partition("FINLEDGER_PENDING")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, poke_interval=0.2, timeout=30)

    first = sensor.poke(context("run-pending"))
    assert not first.is_done
    assert FinLedgerHook().get_readiness(dataset, date).state == "PENDING"

    RunChecksOperator(task_id="checks", dataset=dataset, partition=date).execute(context("run-pending"))
    second = sensor.poke(context("run-pending"))

    assert second.is_done
    assert second.xcom_value["state"] == "READY"


def test_deferrable_sensor_hands_over_to_a_trigger_that_waits_on_the_etag():
    dataset, date = partition("FINLEDGER_PENDING_DEFERRED")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, deferrable=True,
                                  poke_interval=0.2, timeout=60)
    with pytest.raises(TaskDeferred) as deferred:
        sensor.execute(context("run-deferred"))
    trigger = deferred.value.trigger
    assert deferred.value.method_name == "execute_complete"
    classpath, kwargs = trigger.serialize()
    assert classpath == "finledger_provider.triggers.partition_ready.PartitionReadyTrigger"
    assert kwargs["etag"] is not None, "the trigger starts from the version the sensor saw"

    def evaluate_soon():
        time.sleep(1.0)
        FinLedgerHook().evaluate(dataset, date)

    threading.Thread(target=evaluate_soon).start()

    async def first_event():
        async for event in trigger.run():
            return event.payload

    event = asyncio.run(asyncio.wait_for(first_event(), timeout=30))

    assert event["status"] == "ready"
    assert event["readiness"]["state"] == "READY"
    assert sensor.execute_complete(context("run-deferred"), event)["partition"] == date


def test_a_deferred_wait_on_a_blocked_partition_ends_with_the_reasons():
    dataset, date = partition("FINLEDGER_BLOCKED")
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, deferrable=True)
    with pytest.raises(PartitionBlocked):
        sensor.execute(context("run-deferred-blocked"))
    with pytest.raises(PartitionBlocked):
        sensor.execute_complete(context("run-deferred-blocked"), {"status": "blocked", "message": "why"})
