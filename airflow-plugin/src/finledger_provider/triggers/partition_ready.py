"""Deferred waiting for a partition: polls with If-None-Match so an unchanged partition costs a 304."""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

import aiohttp
from asgiref.sync import sync_to_async

from finledger_provider._compat import BaseTrigger, TriggerEvent
from finledger_provider.hooks.finledger import FinLedgerHook, readiness_from


class PartitionReadyTrigger(BaseTrigger):

    def __init__(self, *, dataset: str, partition: str, finledger_conn_id: str, allow_exception: bool = True,
                 poll_interval: float = 60, etag: str | None = None):
        super().__init__()
        self.dataset = dataset
        self.partition = partition
        self.finledger_conn_id = finledger_conn_id
        self.allow_exception = allow_exception
        self.poll_interval = poll_interval
        self.etag = etag

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return ("finledger_provider.triggers.partition_ready.PartitionReadyTrigger", {
            "dataset": self.dataset, "partition": self.partition, "finledger_conn_id": self.finledger_conn_id,
            "allow_exception": self.allow_exception, "poll_interval": self.poll_interval, "etag": self.etag,
        })

    @staticmethod
    def _client_settings(hook: FinLedgerHook) -> tuple:
        return hook.settings(), hook.auth_header(), hook.ssl_context()

    async def run(self) -> AsyncIterator[TriggerEvent]:
        # imported here: the sensor module imports this one
        from finledger_provider.sensors.partition_ready import PartitionBlocked, verdict, xcom_of

        hook = FinLedgerHook(self.finledger_conn_id)
        # The connection lookup is synchronous (secrets backends, the metadata DB, the task SDK's
        # supervisor): run it off the event loop, which Airflow 3.0's triggerer insists on and which keeps
        # 2.x's triggerer loop free for the other triggers. Reading the CA bundle is file I/O as well.
        settings, authorization, ssl = await sync_to_async(self._client_settings)(hook)
        url = f"{settings['base_url']}/api/v1/readiness/{self.dataset}/{self.partition}"
        failures = 0
        last_error = None
        timeout = aiohttp.ClientTimeout(total=settings["timeout"])
        async with aiohttp.ClientSession(headers={"Authorization": authorization}, timeout=timeout) as session:
            while True:
                headers = {"If-None-Match": self.etag} if self.etag else {}
                try:
                    async with session.get(url, headers=headers, ssl=ssl) as response:
                        if response.status == 304:
                            failures = 0
                        elif response.status >= 500:
                            failures += 1
                            last_error = f"answered {response.status}"
                        elif response.status >= 400:
                            yield TriggerEvent({"status": "error", "message":
                                                f"FinLedger Integrity answered {response.status}: {await response.text()}"})
                            return
                        else:
                            failures = 0
                            readiness = readiness_from(await response.json(), response.headers.get("ETag"))
                            self.etag = readiness.etag
                            try:
                                if verdict(readiness, self.allow_exception):
                                    yield TriggerEvent({"status": "ready", "readiness": xcom_of(readiness)})
                                    return
                            except PartitionBlocked as blocked:
                                yield TriggerEvent({"status": "blocked", "message": str(blocked)})
                                return
                except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                    failures += 1
                    last_error = f"{type(e).__name__}: {e}"
                if failures > settings["retries"]:
                    yield TriggerEvent({"status": "error",
                                        "message": f"{url} failed {failures} times in a row, last: {last_error}"})
                    return
                await asyncio.sleep(self.poll_interval)
