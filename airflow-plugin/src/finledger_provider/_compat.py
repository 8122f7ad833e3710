"""
Each Airflow name from its current home, falling back one name at a time to where Airflow 2.10 keeps
it: Airflow 3 serves the old paths only as deprecated shims, and a partial 3.x (3.0 has the authoring
API in ``airflow.sdk`` but its exceptions still in ``airflow.exceptions``) must not drag every name
back to the shims together.
"""

try:
    from airflow.sdk import BaseHook
except ImportError:  # Airflow 2.10
    from airflow.hooks.base import BaseHook

try:
    from airflow.sdk import BaseOperator
except ImportError:  # Airflow 2.10
    from airflow.models import BaseOperator

try:
    from airflow.sdk import BaseSensorOperator, PokeReturnValue
except ImportError:  # Airflow 2.10
    from airflow.sensors.base import BaseSensorOperator, PokeReturnValue

try:
    from airflow.sdk.exceptions import AirflowException
except ImportError:  # Airflow 2.10 and 3.0
    from airflow.exceptions import AirflowException

try:
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
except ImportError:  # Airflow 2.10 and 3.0
    from airflow.exceptions import AirflowFailException, AirflowSkipException

# the triggerer's API has stayed in airflow-core on every version
from airflow.triggers.base import BaseTrigger, TriggerEvent

__all__ = [
    "AirflowException", "AirflowFailException", "AirflowSkipException", "BaseHook", "BaseOperator",
    "BaseSensorOperator", "BaseTrigger", "PokeReturnValue", "TriggerEvent",
]
