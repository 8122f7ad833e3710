from finledger_provider import __version__


def get_provider_info():
    """What Airflow's ProvidersManager reads through the apache_airflow_provider entry point."""
    return {
        "package-name": "finledger-airflow-provider",
        "name": "FinLedger Integrity",
        "description": "Sensors that hold tasks until a FinLedger partition is ready, and operators that "
        "report runs and trigger checks.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "FinLedger Integrity",
                "external-doc-url": "https://github.com/finledger/finledger-integrity/tree/main/airflow-plugin",
                "tags": ["service"],
            }
        ],
        "connection-types": [
            {
                "hook-class-name": "finledger_provider.hooks.finledger.FinLedgerHook",
                "connection-type": "finledger",
            }
        ],
        "hooks": [
            {"integration-name": "FinLedger Integrity", "python-modules": ["finledger_provider.hooks.finledger"]}
        ],
        "sensors": [
            {"integration-name": "FinLedger Integrity",
             "python-modules": ["finledger_provider.sensors.partition_ready"]}
        ],
        "operators": [
            {"integration-name": "FinLedger Integrity",
             "python-modules": ["finledger_provider.operators.register_run",
                                "finledger_provider.operators.run_checks"]}
        ],
        "triggers": [
            {"integration-name": "FinLedger Integrity",
             "python-modules": ["finledger_provider.triggers.partition_ready"]}
        ],
    }
