import datetime
import uuid

import pytest

from conftest import context, partition
from finledger_provider.hooks.finledger import FinLedgerApiError, FinLedgerHook
from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionBlocked


def test_register_run_is_idempotent_per_task_instance():
    # registering a load re-opens its partition, so it gets one of its own
    dataset, date = partition("FINLEDGER_REGISTER")
    run_id = f"scheduled__{uuid.uuid4()}"
    op = RegisterRunOperator(task_id="register", dataset=dataset, partition=date, row_count="1999",
                             amounts={"EUR": 123456, "GBP": 789})

    first = op.execute(context(run_id, task_id="register", map_index=3))
    again = op.execute(context(run_id, task_id="register", map_index=3))

    assert first["duplicate"] is False
    assert again == {**first, "duplicate": True}
    assert first["idempotencyKey"] == f"finledger_test/{run_id}/register/3"
    changed = RegisterRunOperator(task_id="register", dataset=dataset, partition=date, row_count=2000)
    with pytest.raises(FinLedgerApiError) as conflict:
        changed.execute(context(run_id, task_id="register", map_index=3))
    assert conflict.value.status == 409
    assert FinLedgerHook().get_readiness(dataset, date).state == "REOPENED", "new data re-opens a ready partition"


def test_register_run_refuses_fractional_money():
    dataset, date = partition("FINLEDGER_READY")
    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook().register_run({"dagId": "d", "runId": "r", "taskId": "t", "mapIndex": -1, "dataset": dataset,
                                      "partition": date, "status": "SUCCESS", "amounts": {"EUR": "10.5"}})
    assert error.value.status == 400
    assert "whole minor units" in error.value.detail


def test_run_checks_fails_a_blocked_partition_with_reasons_or_reports_it():
    dataset, date = partition("FINLEDGER_BLOCKED")
    with pytest.raises(PartitionBlocked) as blocked:
        RunChecksOperator(task_id="checks", dataset=dataset, partition=date).execute(context("run-checks"))
    assert "refunds_payment_exists" in str(blocked.value)

    reporting = RunChecksOperator(task_id="checks", dataset=dataset, partition=date, fail_on_blocked=False)
    assert reporting.execute(context("run-checks"))["state"] == "BLOCKED"
    lineage = reporting.get_openlineage_facets_on_complete(None)
    assertions = lineage.inputs[0].facets["dataQualityAssertions"]["assertions"]
    assert {"assertion": "refunds_payment_exists", "success": False} in assertions


def run_event(lineage, run_id, event_type="COMPLETE"):
    """What Airflow's OpenLineage listener sends for a task, built from the operator's facets."""
    return {
        "eventType": event_type,
        "eventTime": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "run": {"runId": run_id},
        "job": {"namespace": "airflow", "name": "finledger_test.register"},
        "inputs": [{"namespace": d.namespace, "name": d.name} for d in lineage.inputs],
        "outputs": [{"namespace": d.namespace, "name": d.name} for d in lineage.outputs],
        "producer": "https://github.com/finledger/finledger-integrity/airflow-plugin",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    }


def test_operator_lineage_flows_into_the_control_plane():
    dataset, date = partition("FINLEDGER_READY")
    lineage = RegisterRunOperator(task_id="register", dataset=dataset, partition=date) \
        .get_openlineage_facets_on_complete(None)
    event = run_event(lineage, str(uuid.uuid4()))
    hook = FinLedgerHook()

    stored = hook.send_lineage_event(event)
    again = hook.send_lineage_event(event)

    assert lineage.outputs[0].name == dataset
    assert stored["duplicate"] is False
    assert again == {"id": stored["id"], "duplicate": True}


def test_a_malformed_lineage_event_is_refused_with_the_path():
    event = run_event(RegisterRunOperator(task_id="r", dataset="payments", partition="2026-11-02")
                      .get_openlineage_facets_on_complete(None), "not-a-uuid")
    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook().send_lineage_event(event)
    assert error.value.status == 400
    assert "/run/runId must be a UUID" in error.value.detail
