import datetime
import uuid

import pytest

from conftest import context, partition, run_dag
from finledger_provider.hooks.finledger import FinLedgerApiError, FinLedgerHook
from finledger_provider.operators.register_run import RegisterRunOperator
from finledger_provider.operators.run_checks import RunChecksOperator
from finledger_provider.sensors.partition_ready import PartitionBlocked

SNOWFLAKE_CONN = ('{"conn_type": "snowflake", "login": "loader", "password": "secret", "schema": "RAW", '
                  '"extra": {"account": "acme-finledger", "database": "FINLEDGER", "warehouse": "LOADING"}}')


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
    assert FinLedgerHook().get_readiness(dataset, date).state == "REOPENED", "new data re-opens a ready partition"


def test_a_cleared_task_that_reloads_different_figures_re_registers(test_dags, monkeypatch):
    dag = test_dags["register_reload"]
    logical_date = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    monkeypatch.setenv("FINLEDGER_TEST_ROWS", "1999")
    state, first = run_dag(dag, logical_date=logical_date)["register"]
    run_id = first["idempotencyKey"].split("/")[1]
    assert state == "success" and first["duplicate"] is False

    monkeypatch.setenv("FINLEDGER_TEST_ROWS", "2000")  # the corrected reload, same run, same task
    state, corrected = run_dag(dag, logical_date=logical_date)["register"]
    assert state == "success", "a cleared re-run with a corrected row count must not fail on 409"
    assert corrected["idempotencyKey"].split("/")[1] == run_id, "dag.test() re-ran the same run, cleared"
    assert corrected["duplicate"] is False
    assert corrected["supersedes"] == first["id"]
    assert corrected["idempotencyKey"].startswith(first["idempotencyKey"] + "#")

    state, retried = run_dag(dag, logical_date=logical_date)["register"]
    assert state == "success"
    assert retried == {"id": corrected["id"], "idempotencyKey": corrected["idempotencyKey"], "duplicate": True}, \
        "the corrected reload is itself recorded once"


def test_the_api_still_refuses_different_content_under_one_key_without_supersede():
    dataset, date = partition("FINLEDGER_REGISTER")
    report = {"dagId": "d", "runId": str(uuid.uuid4()), "taskId": "t", "mapIndex": -1, "dataset": dataset,
              "partition": date, "status": "SUCCESS", "rowCount": 1}
    FinLedgerHook().register_run(report)
    with pytest.raises(FinLedgerApiError) as conflict:
        FinLedgerHook().register_run({**report, "rowCount": 2})
    assert conflict.value.status == 409


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


@pytest.fixture
def snowflake(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SNOWFLAKE_FINLEDGER", SNOWFLAKE_CONN)
    # parse the SQL only: never try to reach the (fictitious) account for its information schema
    import airflow.providers.openlineage.utils.utils as ol_utils

    monkeypatch.setattr(ol_utils, "should_use_external_connection", lambda hook: False)


def sql_operator_datasets(sql):
    """What Airflow's own SQL operator reports for ``sql`` on the Snowflake connection."""
    from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

    lineage = SQLExecuteQueryOperator(task_id="sql", conn_id="snowflake_finledger", sql=sql) \
        .get_openlineage_facets_on_start()
    return ([(d.namespace, d.name) for d in lineage.inputs], [(d.namespace, d.name) for d in lineage.outputs])


def test_register_and_checks_name_the_table_as_airflows_sql_operators_do(snowflake):
    from openlineage.client.event_v2 import InputDataset, OutputDataset
    from openlineage.client.facet_v2 import data_quality_assertions_dataset as dqa

    dataset, date = partition("FINLEDGER_BLOCKED")
    _, written = sql_operator_datasets(f"insert into raw.{dataset} select * from raw.{dataset}_landed")
    read, _ = sql_operator_datasets(f"select count(*) from raw.{dataset}")
    assert written == [("snowflake://acme-finledger", f"FINLEDGER.RAW.{dataset.upper()}")]

    register = RegisterRunOperator(task_id="register", dataset=dataset, partition=date, table=f"RAW.{dataset}",
                                   table_conn_id="snowflake_finledger").get_openlineage_facets_on_complete(None)
    checks = RunChecksOperator(task_id="checks", dataset=dataset, partition=date, fail_on_blocked=False,
                               table=f"raw.{dataset}", table_conn_id="snowflake_finledger")
    checks.execute(context("run-lineage"))
    checked = checks.get_openlineage_facets_on_complete(None)

    assert [(d.namespace, d.name) for d in register.outputs] == written
    assert [(d.namespace, d.name) for d in checked.inputs] == read == written
    assert isinstance(register.outputs[0], OutputDataset)
    assert isinstance(checked.inputs[0], InputDataset)
    facet = checked.inputs[0].inputFacets["dataQualityAssertions"]
    assert isinstance(facet, dqa.DataQualityAssertionsDatasetFacet)
    assert ("refunds_payment_exists", False) in {(a.assertion, a.success) for a in facet.assertions}
    assert not checked.inputs[0].facets, "the assertions are an input facet, not a dataset facet"


def test_an_s3_location_is_named_by_bucket_and_key():
    lineage = RegisterRunOperator(task_id="register", dataset="bank_settlement_lines", partition="2026-11-02",
                                  table="s3://finledger-landing/landing/northbank_partner/settlement_report/") \
        .get_openlineage_facets_on_complete(None)
    assert [(d.namespace, d.name) for d in lineage.outputs] == [
        ("s3://finledger-landing", "landing/northbank_partner/settlement_report/")]


def run_event(lineage, run_id, event_type="COMPLETE"):
    """The event Airflow's OpenLineage listener sends for a task, built with openlineage-python's classes."""
    from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
    from openlineage.client.serde import Serde

    return Serde.to_dict(RunEvent(
        eventType=RunState[event_type], eventTime=datetime.datetime.now(datetime.timezone.utc).isoformat(),
        run=Run(runId=run_id), job=Job(namespace="airflow", name="finledger_ledgers_daily.register_payments"),
        inputs=lineage.inputs, outputs=lineage.outputs,
        producer="https://github.com/finledger/finledger-integrity/airflow-plugin"))


def test_operator_lineage_flows_into_the_control_plane(snowflake):
    dataset, date = partition("FINLEDGER_BLOCKED")
    checks = RunChecksOperator(task_id="checks", dataset=dataset, partition=date, fail_on_blocked=False,
                               table=f"RAW.{dataset}", table_conn_id="snowflake_finledger")
    checks.execute(context("run-lineage"))
    event = run_event(checks.get_openlineage_facets_on_complete(None), str(uuid.uuid4()))
    hook = FinLedgerHook()

    stored = hook.send_lineage_event(event)
    again = hook.send_lineage_event(event)

    assert event["inputs"][0]["inputFacets"]["dataQualityAssertions"]["assertions"]
    assert stored["duplicate"] is False
    assert (again["id"], again["duplicate"], again["created"]) == (stored["id"], True, False)


def test_a_malformed_lineage_event_is_refused_with_the_path(snowflake):
    lineage = RegisterRunOperator(task_id="r", dataset="payments", partition="2026-11-02", table="RAW.payments",
                                  table_conn_id="snowflake_finledger").get_openlineage_facets_on_complete(None)
    event = run_event(lineage, str(uuid.uuid4()))
    event["run"]["runId"] = "not-a-uuid"
    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook().send_lineage_event(event)
    assert error.value.status == 400
    assert "/run/runId must be a UUID" in error.value.detail


def test_no_table_no_lineage():
    assert RegisterRunOperator(task_id="r", dataset="payments", partition="2026-11-02") \
        .get_openlineage_facets_on_complete(None) is None
