"""
The promise end to end, against the demo world: with a BLOCKED input the dbt build never runs and the
run says why; once ops release the quarantined rows (checked, audited), the same DAG runs dbt and the
curated partition it builds is READY. Releasing changes the control plane's state, so this runs last
(see conftest) and AirflowProviderTest puts the rows back in quarantine before the next suite.
"""
import os

import pytest
import requests

from conftest import URL, partition, run_dag

pytestmark = pytest.mark.changes_state


def test_a_blocked_input_stops_the_build_and_a_release_lets_the_same_dag_build_and_ready_it(test_dags):
    dataset, date = partition("FINLEDGER_PROMISE")
    rule = os.environ["FINLEDGER_PROMISE_RULE"]
    dag = test_dags["finledger_local_dbt_build"]
    blocked = run_dag(dag, run_conf={"business_date": date})

    assert blocked[f"{dataset}_ready"][0] == "failed"
    assert blocked["dbt_build"][0] == "upstream_failed", "dbt never runs on a blocked input"
    assert blocked["refunds_ready"][0] == "upstream_failed"
    why = requests.get(f"{URL}/api/v1/readiness/{dataset}/{date}", auth=("pipeline", "demo"), timeout=10).json()
    assert why["state"] == "BLOCKED" and any(rule in reason for reason in why["checks"]["blocking"]), why

    released = requests.post(f"{URL}/api/v1/quarantine/{dataset}/{date}/releases", auth=("ops", "demo"),
                             json={"rule": rule, "reason": "orphan refund confirmed with the payments team"},
                             timeout=30)
    assert released.status_code == 200, released.text
    evaluated = requests.post(f"{URL}/api/v1/readiness/{dataset}/{date}/evaluations", auth=("pipeline", "demo"),
                              timeout=120)
    assert evaluated.json()["readiness"]["state"] == "READY", evaluated.text

    built = run_dag(dag, run_conf={"business_date": date})

    assert {task: state for task, (state, _) in built.items()} == {
        f"{dataset}_ready": "success", "dbt_build": "success",
        "refunds_ready": "success"}
    assert built["refunds_ready"][1]["state"] == "READY", built["refunds_ready"][1]
