"""Connection and HTTP client for the FinLedger Integrity control plane."""
from __future__ import annotations

import base64
import os
import ssl
import time
from dataclasses import dataclass
from typing import Any

import requests

from finledger_provider._compat import AirflowException, BaseHook


class FinLedgerApiError(AirflowException):
    """The control plane answered with an error; 4xx are not retried."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"FinLedger Integrity answered {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Readiness:
    dataset: str
    partition: str
    state: str
    version: int
    ready: bool
    blocking: list
    etag: str | None

    @property
    def usable(self) -> bool:
        return self.state in ("READY", "READY_WITH_EXCEPTION")


class FinLedgerHook(BaseHook):
    """
    Talks to FinLedger Integrity. Connection: host = base URL (https://integrity.example.com), password =
    bearer token of a ``pipeline`` identity (or login + password for the local demo users); extras:
    ``verify`` (true/false/CA bundle path; the same in poke and deferred mode), ``timeout`` seconds, ``retries`` and ``backoff`` seconds.
    Connection errors, timeouts and 5xx answers are retried with exponential backoff; 4xx never are.
    """

    conn_name_attr = "finledger_conn_id"
    default_conn_name = "finledger_default"
    conn_type = "finledger"
    hook_name = "FinLedger Integrity"

    def __init__(self, finledger_conn_id: str = default_conn_name, **kwargs):
        super().__init__(**kwargs)
        self.finledger_conn_id = finledger_conn_id
        self._session: requests.Session | None = None
        self._settings: dict | None = None

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        return {
            "hidden_fields": ["schema", "port"],
            "relabeling": {"host": "Base URL", "login": "User (local demo only)", "password": "Token or password"},
            "placeholders": {"host": "https://integrity.finledger.internal",
                             "extra": '{"verify": true, "timeout": 10, "retries": 3, "backoff": 1}'},
        }

    def settings(self) -> dict:
        if self._settings is None:
            conn = self.get_connection(self.finledger_conn_id)
            extra = conn.extra_dejson or {}
            base = conn.host or ""
            if not base.startswith("http"):
                base = f"{conn.schema or 'https'}://{base}" + (f":{conn.port}" if conn.port else "")
            self._settings = {
                "base_url": base.rstrip("/"),
                "login": conn.login,
                "password": conn.password,
                "verify": tls_verify(extra.get("verify", True), self.finledger_conn_id),
                "timeout": float(extra.get("timeout", 10)),
                "retries": int(extra.get("retries", 3)),
                "backoff": float(extra.get("backoff", 1)),
            }
        return self._settings

    def auth_header(self) -> str:
        s = self.settings()
        if s["login"]:
            token = base64.b64encode(f"{s['login']}:{s['password']}".encode()).decode()
            return f"Basic {token}"
        if not s["password"]:
            raise AirflowException(f"connection {self.finledger_conn_id} has no token")
        return f"Bearer {s['password']}"

    def get_conn(self) -> requests.Session:
        if self._session is None:
            session = requests.Session()
            session.headers.update({"Authorization": self.auth_header(), "Accept": "application/json"})
            self._session = session
        return self._session

    def ssl_context(self) -> ssl.SSLContext | bool:
        """The same TLS verification as ``get_conn()``, for aiohttp (the deferred trigger)."""
        verify = self.settings()["verify"]
        if verify is False:
            return False
        if verify is True:
            # requests' own default bundle, so poke and deferred mode trust the same authorities
            return ssl.create_default_context(cafile=requests.utils.DEFAULT_CA_BUNDLE_PATH)
        return ssl.create_default_context(cafile=verify)

    def request(self, method: str, path: str, *, json: Any = None, headers: dict | None = None,
                allow: tuple = ()) -> requests.Response:
        s = self.settings()
        url = s["base_url"] + path
        attempt = 0
        while True:
            attempt += 1
            try:
                # verify per request: requests lets REQUESTS_CA_BUNDLE override a session's own verify
                response = self.get_conn().request(method, url, json=json, headers=headers, timeout=s["timeout"],
                                                   verify=s["verify"])
            except (requests.ConnectionError, requests.Timeout) as e:
                if attempt > s["retries"]:
                    raise AirflowException(f"FinLedger Integrity unreachable at {url} after {attempt} tries: {e}")
                self._sleep(s["backoff"] * 2 ** (attempt - 1))
                continue
            if response.status_code >= 500 and attempt <= s["retries"]:
                self.log.warning("FinLedger Integrity answered %s for %s %s, retrying", response.status_code, method,
                                 path)
                self._sleep(s["backoff"] * 2 ** (attempt - 1))
                continue
            if response.status_code >= 400 and response.status_code not in allow:
                raise FinLedgerApiError(response.status_code, _detail(response))
            return response

    @staticmethod
    def _sleep(seconds: float) -> None:
        time.sleep(seconds)

    def get_readiness(self, dataset: str, partition: str, etag: str | None = None) -> Readiness | None:
        """The partition's readiness, or None when it has not changed since ``etag``."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.request("GET", f"/api/v1/readiness/{dataset}/{partition}", headers=headers, allow=(304,))
        if response.status_code == 304:
            return None
        return readiness_from(response.json(), response.headers.get("ETag"))

    def evaluate(self, dataset: str, partition: str) -> dict:
        return self.request("POST", f"/api/v1/readiness/{dataset}/{partition}/evaluations", json={}).json()

    def checks(self, dataset: str, partition: str) -> dict:
        return self.request("GET", f"/api/v1/readiness/{dataset}/{partition}/checks").json()

    def register_run(self, report: dict) -> dict:
        return self.request("POST", "/api/v1/runs", json=report).json()

    def send_lineage_event(self, event: dict) -> dict:
        return self.request("POST", "/api/v1/lineage", json=event).json()

    def test_connection(self) -> tuple[bool, str]:
        try:
            me = self.request("GET", "/api/v1/whoami").json()
            return True, f"connected as {me['user']} ({', '.join(me['roles'])})"
        except Exception as e:  # the connection-test button shows whatever went wrong
            return False, str(e)


def tls_verify(value: Any, conn_id: str) -> bool | str:
    """
    The connection's ``verify`` extra as True, False or a CA bundle path. Extras from a URI-defined
    connection (``finledger://...?verify=false``) arrive as strings, so "false" must mean off, not a path.
    """
    if value is None or isinstance(value, bool):
        return value is not False
    text = str(value).strip()
    if text.lower() in ("", "true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off"):
        return False
    if not os.path.isfile(text):
        raise AirflowException(f"connection {conn_id}: verify={text!r} is neither true/false nor a CA bundle file")
    return text


def readiness_from(body: dict, etag: str | None) -> Readiness:
    checks = body.get("checks") or {}
    return Readiness(dataset=body["dataset"], partition=body["partition"], state=body["state"],
                     version=int(body["version"]), ready=bool(body["ready"]), blocking=list(checks.get("blocking", [])),
                     etag=etag)


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
        return body.get("detail") or body.get("title") or response.text
    except ValueError:
        return response.text or response.reason
