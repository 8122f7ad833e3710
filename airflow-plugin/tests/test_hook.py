import http.server
import threading
import urllib.request

import pytest

from conftest import URL, connection, partition
from finledger_provider.hooks.finledger import FinLedgerApiError, FinLedgerHook


class FlakyProxy:
    """Forwards to the real control plane, but answers 503 to the first ``failures`` requests."""

    def __init__(self, failures):
        self.failures = failures
        self.requests = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                proxy.requests += 1
                if proxy.requests <= proxy.failures:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                request = urllib.request.Request(URL + self.path, headers={
                    k: v for k, v in self.headers.items() if k.lower() in ("authorization", "accept")})
                try:
                    with urllib.request.urlopen(request) as upstream:
                        status, headers, body = upstream.status, upstream.headers, upstream.read()
                except urllib.error.HTTPError as e:
                    status, headers, body = e.code, e.headers, e.read()
                self.send_response(status)
                for k, v in headers.items():
                    if k.lower() in ("content-type", "etag"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def flaky():
    proxies = []

    def make(failures):
        proxies.append(FlakyProxy(failures))
        return proxies[-1]

    yield make
    for p in proxies:
        p.close()


def test_5xx_answers_are_retried_with_backoff(flaky, monkeypatch):
    proxy = flaky(failures=2)
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_FLAKY", connection(proxy.url, retries=3))
    dataset, date = partition("FINLEDGER_READY")

    readiness = FinLedgerHook("finledger_flaky").get_readiness(dataset, date)

    assert readiness.state == "READY"
    assert proxy.requests == 3


def test_retries_give_up_after_the_configured_number(flaky, monkeypatch):
    proxy = flaky(failures=10)
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_FLAKY", connection(proxy.url, retries=2))
    dataset, date = partition("FINLEDGER_READY")

    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook("finledger_flaky").get_readiness(dataset, date)

    assert error.value.status == 503
    assert proxy.requests == 3


def test_a_401_fails_at_once_without_retrying(flaky, monkeypatch):
    proxy = flaky(failures=0)
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_FLAKY", connection(proxy.url, password="wrong", retries=3))
    dataset, date = partition("FINLEDGER_READY")

    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook("finledger_flaky").get_readiness(dataset, date)

    assert error.value.status == 401
    assert proxy.requests == 1


def test_an_unknown_dataset_is_a_clear_404():
    with pytest.raises(FinLedgerApiError) as error:
        FinLedgerHook().get_readiness("no_such_dataset", "2026-11-02")
    assert error.value.status == 404
    assert "no dataset named no_such_dataset" in error.value.detail


def test_an_unchanged_partition_answers_304_to_its_etag():
    dataset, date = partition("FINLEDGER_READY")
    hook = FinLedgerHook()
    first = hook.get_readiness(dataset, date)
    assert first.etag
    assert hook.get_readiness(dataset, date, etag=first.etag) is None


def test_connection_test_names_the_identity():
    ok, message = FinLedgerHook().test_connection()
    assert ok
    assert message == "connected as pipeline (pipeline)"
