"""Hold downstream tasks until a FinLedger partition is ready."""
from __future__ import annotations

from datetime import timedelta

from finledger_provider._compat import (AirflowException, AirflowFailException, AirflowSkipException,
                                        BaseSensorOperator, PokeReturnValue)
from finledger_provider.hooks.finledger import FinLedgerHook, Readiness
from finledger_provider.triggers.partition_ready import PartitionReadyTrigger


class PartitionBlocked(AirflowFailException):
    """The partition is BLOCKED: waiting longer cannot help, a person has to act."""


def verdict(readiness: Readiness, allow_exception: bool) -> bool:
    """True when usable, False when still on its way; raises when blocked (or excepted, if not allowed)."""
    if readiness.state == "READY" or (readiness.state == "READY_WITH_EXCEPTION" and allow_exception):
        return True
    if readiness.state in ("BLOCKED", "READY_WITH_EXCEPTION"):
        reasons = "; ".join(readiness.blocking) or "no reason recorded"
        raise PartitionBlocked(f"{readiness.dataset} {readiness.partition} is {readiness.state} "
                               f"(version {readiness.version}): {reasons}")
    return False


def xcom_of(readiness: Readiness) -> dict:
    return {"dataset": readiness.dataset, "partition": readiness.partition, "state": readiness.state,
            "version": readiness.version}


class PartitionReadySensor(BaseSensorOperator):
    """
    Waits until ``dataset``/``partition`` is READY in FinLedger Integrity (or READY_WITH_EXCEPTION when
    ``allow_exception``), then pushes ``{"dataset", "partition", "state", "version"}`` to XCom. A BLOCKED
    partition fails the task at once with the reasons. Works in ``poke`` and ``reschedule`` mode, and
    deferred (``deferrable=True``), where a trigger polls cheaply with the API's ETag.
    """

    template_fields = ("dataset", "partition")
    ui_color = "#e8f4ea"

    def __init__(self, *, dataset: str, partition: str, finledger_conn_id: str = FinLedgerHook.default_conn_name,
                 allow_exception: bool = True, deferrable: bool = False,
                 poke_interval: float = 60, timeout: float = timedelta(hours=6).total_seconds(), **kwargs):
        super().__init__(poke_interval=poke_interval, timeout=timeout, **kwargs)
        self.dataset = dataset
        self.partition = partition
        self.finledger_conn_id = finledger_conn_id
        self.allow_exception = allow_exception
        self.deferrable = deferrable

    def poke(self, context) -> PokeReturnValue:
        readiness = FinLedgerHook(self.finledger_conn_id).get_readiness(self.dataset, self.partition)
        self.log.info("%s %s is %s (version %s)", self.dataset, self.partition, readiness.state, readiness.version)
        if verdict(readiness, self.allow_exception):
            return PokeReturnValue(is_done=True, xcom_value=xcom_of(readiness))
        return PokeReturnValue(is_done=False)

    def execute(self, context):
        if not self.deferrable:
            return super().execute(context)
        # one cheap look first: no need to defer for a partition that is already settled
        readiness = FinLedgerHook(self.finledger_conn_id).get_readiness(self.dataset, self.partition)
        try:
            if verdict(readiness, self.allow_exception):
                return xcom_of(readiness)
        except PartitionBlocked as blocked:
            if self.soft_fail:  # as BaseSensorOperator.execute treats a failing poke
                raise AirflowSkipException(f"soft_fail: {blocked}") from blocked
            raise
        self.defer(
            trigger=PartitionReadyTrigger(dataset=self.dataset, partition=self.partition,
                                          finledger_conn_id=self.finledger_conn_id,
                                          allow_exception=self.allow_exception, poll_interval=self.poke_interval,
                                          etag=readiness.etag),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout),
        )

    def execute_complete(self, context, event: dict):
        status = event.get("status")
        if status == "ready":
            return event["readiness"]
        if status == "blocked":
            raise PartitionBlocked(event["message"])
        raise AirflowException(f"waiting for {self.dataset} {self.partition} failed: {event.get('message')}")
