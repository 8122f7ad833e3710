"""The example DAGs, parsed by real Airflow the way its DAG processor parses them."""
import datetime
import sqlite3
import warnings

import pytest

from conftest import ROOT, dag_bag


@pytest.fixture(scope="module")
def example_dags():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bag = dag_bag(ROOT / "example_dags")
    assert bag.import_errors == {}
    ours = [f"{w.filename}: {w.message}" for w in caught if "example_dags" in w.filename or
            "finledger_provider" in w.filename]
    assert ours == [], "the DAG files use deprecated Airflow names"
    return bag.dags


def test_every_example_dag_imports_with_zero_errors(example_dags):
    expected = {
        "finledger_ledgers_daily": {"ensure_stages", "glue_shape_payments", "copy_raw_payments", "register_payments",
                                    "checks_payments", "ready_payments", "dbt_build", "checks_balances",
                                    "ready_balances", "finance_extracts"},
        "finledger_partner_files": {"report_arrived", "copy_raw_bank_settlement_lines", "register_load", "checks",
                                    "ready", "reconcile_bank_vs_ledger"},
        "finledger_month_end_rerun": {"days_of", "checks_ledger_settlements", "ready_balances", "close_extracts"},
        "finledger_ops_micro_batch": {"ready_payments", "ready_ledger_refunds", "ready_alpha_transactions",
                                      "ready_beta_transactions", "dbt_build_ops_window"},
        "finledger_local_dbt_build": {"ledger_refunds_ready", "dbt_build", "refunds_ready"},
    }
    assert set(example_dags) == set(expected)
    for dag_id, tasks in expected.items():
        assert tasks <= set(example_dags[dag_id].task_ids), f"{dag_id}: {sorted(example_dags[dag_id].task_ids)}"


def test_the_production_path_runs_in_order(example_dags):
    dag = example_dags["finledger_ledgers_daily"]
    path = ["ensure_stages", "glue_shape_payments", "copy_raw_payments", "register_payments", "checks_payments",
            "ready_payments", "dbt_build", "checks_balances", "ready_balances", "finance_extracts"]
    for upstream, downstream in zip(path, path[1:]):
        assert downstream in dag.get_task(upstream).downstream_task_ids, (upstream, downstream)
    assert "build --project-dir" in dag.get_task("dbt_build").bash_command
    assert "--target snowflake --select staging curated" in dag.get_task("dbt_build").bash_command
    assert "--vars '{business_date: {{ data_interval_start | ds }}}'" in dag.get_task("dbt_build").bash_command


def scheduler_timetable(dag):
    """The timetable the scheduler works with (Airflow 3 turns the Task SDK's into airflow-core's)."""
    try:
        from airflow.serialization.encoders import coerce_to_core_timetable
    except ImportError:  # Airflow 2.10: the DAG's own
        return dag.timetable
    return coerce_to_core_timetable(dag.timetable)


def scheduled_run(dag, fires_at):
    """The data interval of the scheduled run that fires at ``fires_at``, as the scheduler computes it."""
    from airflow.timetables.base import TimeRestriction

    timetable = scheduler_timetable(dag)
    restriction = TimeRestriction(earliest=dag.start_date, latest=None, catchup=True)
    info = timetable.next_dagrun_info(last_automated_data_interval=None, restriction=restriction)
    while info.run_after < fires_at:
        info = timetable.next_dagrun_info(last_automated_data_interval=info.data_interval, restriction=restriction)
    assert info.run_after == fires_at
    return info.data_interval


def rendered(task, field, interval):
    return task.render_template(getattr(task, field), {"data_interval_start": interval.start,
                                                       "data_interval_end": interval.end})


@pytest.mark.parametrize("dag_id, task_id, fires_at, partition", [
    ("finledger_ledgers_daily", "ready_payments", datetime.datetime(2026, 11, 3, 2, 30), "2026-11-02"),
    ("finledger_partner_files", "ready", datetime.datetime(2026, 11, 3, 7, 0), "2026-11-02"),
    ("finledger_ops_micro_batch", "ready_payments", datetime.datetime(2026, 11, 3, 10, 30), "2026-11-03T10:15Z"),
])
def test_a_cron_run_waits_for_the_partition_that_has_just_closed(example_dags, dag_id, task_id, fires_at,
                                                                 partition):
    from airflow.timetables.interval import CronDataIntervalTimetable

    dag = example_dags[dag_id]
    assert isinstance(scheduler_timetable(dag), CronDataIntervalTimetable), "explicit data intervals on every Airflow"
    interval = scheduled_run(dag, fires_at.replace(tzinfo=datetime.timezone.utc))

    assert rendered(dag.get_task(task_id), "partition", interval) == partition


def copy_answer(*files):
    """A DB-API cursor holding what Snowflake answers to COPY INTO <table>: one row per file."""
    cursor = sqlite3.connect(":memory:").cursor()
    if not files:
        cursor.execute("select 'Copy executed with 0 files processed.' as status")
        return cursor
    cursor.execute(" union all ".join(
        f"select '{name}' as file, 'LOADED' as status, {rows} as rows_parsed, {rows} as rows_loaded, "
        "1 as error_limit, 0 as errors_seen, null as first_error" for name, rows in files))
    return cursor


@pytest.mark.parametrize("dag_id, copy_id, register_id", [
    ("finledger_ledgers_daily", "copy_raw_payments", "register_payments"),
    ("finledger_partner_files", "copy_raw_bank_settlement_lines", "register_load"),
])
def test_the_registered_row_count_is_rows_loaded_summed_over_the_copied_files(example_dags, dag_id, copy_id,
                                                                              register_id):
    dag = example_dags[dag_id]
    copy, register = dag.get_task(copy_id), dag.get_task(register_id)
    pushed = {copy_id: copy.handler(copy_answer(("payments/2026-11-02/part-0.parquet", 1200),
                                                ("payments/2026-11-02/part-1.parquet", 34)))}

    class TaskInstance:
        @staticmethod
        def xcom_pull(task_ids):
            return pushed[task_ids]

    assert int(register.render_template(register.row_count, {"ti": TaskInstance()})) == 1234
    assert copy.handler(copy_answer()) == 0, "COPY of no new files loaded nothing"
