"""Airflow provider for FinLedger Integrity."""

# The one place the version lives: pyproject.toml and get_provider_info() both read it.
__version__ = "0.1.0"
