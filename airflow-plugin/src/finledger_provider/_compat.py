"""Airflow 3 keeps the authoring API in ``airflow.sdk``; Airflow 2.9+ in the older modules."""

try:  # Airflow 3.x
    from airflow.sdk import BaseHook, BaseOperator, BaseSensorOperator, PokeReturnValue
except ImportError:  # Airflow 2.9 / 2.10
    from airflow.hooks.base import BaseHook
    from airflow.models import BaseOperator
    from airflow.sensors.base import BaseSensorOperator, PokeReturnValue

from airflow.exceptions import AirflowException, AirflowFailException
from airflow.triggers.base import BaseTrigger, TriggerEvent

try:  # the OpenLineage provider, when installed, collects these facets and sends the events
    from airflow.providers.openlineage.extractors import OperatorLineage
    from openlineage.client.event_v2 import Dataset as LineageDataset
except ImportError:  # still describe lineage the same way without it
    from dataclasses import dataclass, field

    @dataclass
    class LineageDataset:
        namespace: str
        name: str
        facets: dict = field(default_factory=dict)

    @dataclass
    class OperatorLineage:
        inputs: list = field(default_factory=list)
        outputs: list = field(default_factory=list)
        run_facets: dict = field(default_factory=dict)
        job_facets: dict = field(default_factory=dict)


def assertions_facet(assertions: list) -> object:
    """An OpenLineage DataQualityAssertions dataset facet: typed when the client is installed."""
    try:
        from openlineage.client.facet_v2 import data_quality_assertions_dataset as dqa

        return dqa.DataQualityAssertionsDatasetFacet(
            assertions=[dqa.Assertion(assertion=a["assertion"], success=a["success"]) for a in assertions])
    except ImportError:
        return {"_producer": "https://github.com/finledger/finledger-integrity",
                "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/DataQualityAssertionsDatasetFacet.json",
                "assertions": assertions}


__all__ = [
    "AirflowException", "AirflowFailException", "BaseHook", "BaseOperator", "BaseSensorOperator", "BaseTrigger",
    "LineageDataset", "OperatorLineage", "PokeReturnValue", "TriggerEvent", "assertions_facet",
]
