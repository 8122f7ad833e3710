import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, airflow_major

import finledger_provider
from finledger_provider.get_provider_info import get_provider_info

MODULES = ["finledger_provider.hooks.finledger", "finledger_provider.sensors.partition_ready",
           "finledger_provider.triggers.partition_ready", "finledger_provider.operators.register_run",
           "finledger_provider.operators.run_checks", "finledger_provider.copy_into", "finledger_provider.lineage"]


def test_provider_info_validates_against_airflows_schema():
    import airflow
    import jsonschema

    schema = json.loads((Path(airflow.__file__).parent / "provider_info.schema.json").read_text())
    info = get_provider_info()

    jsonschema.validate(info, schema)
    assert info["versions"] == [finledger_provider.__version__]
    assert [i["integration-name"] for i in info["integrations"]] == ["FinLedger Integrity"]
    assert info["connection-types"] == [{"hook-class-name": "finledger_provider.hooks.finledger.FinLedgerHook",
                                         "connection-type": "finledger"}]
    for kind in ("hooks", "sensors", "operators", "triggers"):
        for entry in info[kind]:
            assert entry["integration-name"] == "FinLedger Integrity"
            for module in entry["python-modules"]:
                __import__(module)


def test_the_wheel_carries_the_provider_entry_point(tmp_path):
    from setuptools import build_meta

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


def fresh_import(code, src=ROOT / "src"):
    """
    In a new interpreter that has imported Airflow itself, import every provider module, recording
    warnings (``caught``), then run ``code``; returns the last line it prints.
    """
    program = ("import sys, warnings\n"
               "import airflow, airflow.triggers.base\n"
               "try:\n    import airflow.sdk, airflow.sdk.exceptions\nexcept ImportError:\n    pass\n"
               "with warnings.catch_warnings(record=True) as caught:\n"
               "    warnings.simplefilter('always')\n"
               + "".join(f"    import {m}\n" for m in MODULES)
               + code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(src)})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_importing_the_provider_raises_no_deprecation_warning_of_its_own():
    # a deprecated name imported with ``from airflow.exceptions import ...`` warns from the import machinery
    # (Airflow 3's DeprecatedImportWarning is a FutureWarning)
    ours = fresh_import("print([str(w.message) for w in caught"
                        " if issubclass(w.category, (DeprecationWarning, FutureWarning))])")
    assert ours == "[]"


def test_openlineage_is_imported_only_when_lineage_is_asked_for():
    # (Airflow 3's providers manager reads every provider's get_provider_info: that much is not ours)
    loaded = fresh_import("print(sorted(m for m in sys.modules if m.split('.')[0] == 'openlineage'"
                          " or m.startswith(('airflow.providers.openlineage.extractors',"
                          " 'airflow.providers.openlineage.sqlparser'))))")
    assert loaded == "[]"


def test_every_airflow_name_comes_from_its_current_home():
    from finledger_provider import _compat

    if airflow_major() >= 3:
        import airflow.sdk
        import airflow.sdk.exceptions

        for name in ("BaseHook", "BaseOperator", "BaseSensorOperator", "PokeReturnValue"):
            assert getattr(_compat, name) is getattr(airflow.sdk, name), name
        for name in ("AirflowException", "AirflowFailException", "AirflowSkipException"):
            assert getattr(_compat, name) is getattr(airflow.sdk.exceptions, name), name
    else:
        from airflow.exceptions import AirflowFailException
        from airflow.hooks.base import BaseHook
        from airflow.sensors.base import BaseSensorOperator

        assert (_compat.BaseHook, _compat.BaseSensorOperator, _compat.AirflowFailException) == (
            BaseHook, BaseSensorOperator, AirflowFailException)


@pytest.mark.parametrize("value, expected", [(True, True), (False, False), (None, True), ("true", True),
                                             ("false", False), ("False", False), ("0", False), ("", True)])
def test_verify_is_read_the_same_from_json_and_uri_extras(value, expected):
    from finledger_provider.hooks.finledger import tls_verify

    assert tls_verify(value, "c") is expected
