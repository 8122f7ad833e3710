import importlib
import sys
import types
import zipfile
from pathlib import Path

from conftest import ROOT

import finledger_provider
from finledger_provider.get_provider_info import get_provider_info


def test_provider_info_has_one_version_and_the_connection_type():
    info = get_provider_info()
    assert info["versions"] == [finledger_provider.__version__]
    assert info["connection-types"] == [{"hook-class-name": "finledger_provider.hooks.finledger.FinLedgerHook",
                                         "connection-type": "finledger"}]
    for kind in ("hooks", "sensors", "operators", "triggers"):
        for module in info[kind][0]["python-modules"]:
            importlib.import_module(module)


def test_the_wheel_carries_the_provider_entry_point(tmp_path):
    from setuptools import build_meta
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        name = build_meta.build_wheel(str(tmp_path))
    finally:
        os.chdir(cwd)
    assert name == f"finledger_airflow_provider-{finledger_provider.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / name) as wheel:
        entry_points = wheel.read(f"finledger_airflow_provider-{finledger_provider.__version__}.dist-info/"
                                  "entry_points.txt").decode()
        files = wheel.namelist()
    assert "[apache_airflow_provider]" in entry_points
    assert "provider_info = finledger_provider.get_provider_info:get_provider_info" in entry_points
    assert "finledger_provider/sensors/partition_ready.py" in files


def test_airflow_3_authoring_api_is_preferred_when_present(monkeypatch):
    sdk = types.ModuleType("airflow.sdk")

    class Marker:
        pass

    for name in ("BaseHook", "BaseOperator", "BaseSensorOperator", "PokeReturnValue"):
        setattr(sdk, name, type(name, (Marker,), {}))
    monkeypatch.setitem(sys.modules, "airflow.sdk", sdk)
    import finledger_provider._compat as compat
    try:
        reloaded = importlib.reload(compat)
        assert reloaded.BaseSensorOperator is sdk.BaseSensorOperator
        assert reloaded.BaseHook is sdk.BaseHook
    finally:
        monkeypatch.delitem(sys.modules, "airflow.sdk")
        importlib.reload(compat)


def test_example_dags_import_cleanly():
    expected = {
        "finledger_ledgers_daily": {"glue_shape_payments", "copy_raw_payments", "register_payments",
                                    "checks_payments", "ready_payments", "build_curated", "ready_balances",
                                    "finance_extracts"},
        "finledger_partner_files": {"report_arrived", "copy_raw_bank_settlement_lines", "register_load", "checks",
                                    "ready", "reconcile_bank_vs_ledger"},
        "finledger_month_end_rerun": {"checks_ledger_settlements", "ready_balances", "close_extracts"},
        "finledger_ops_micro_batch": {"ready_payments", "ready_ledger_refunds", "ready_alpha_transactions",
                                      "ready_beta_transactions", "refresh_ops_reconciliation"},
    }
    for module_name, tasks in expected.items():
        module = importlib.import_module(module_name)
        assert module.dag.dag_id == module_name
        assert tasks <= set(module.dag.tasks), f"{module_name}: {sorted(module.dag.tasks)}"
    month_end = importlib.import_module("finledger_month_end_rerun")
    assert len(month_end.business_dates("2026-02")) == 28
    assert month_end.dag.tasks["ready_balances"].mapped.keys() == {"partition"}
