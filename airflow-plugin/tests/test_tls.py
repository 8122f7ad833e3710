"""TLS settings of the connection behave the same whether the sensor pokes or a trigger waits."""
import datetime
import http.server
import ssl
import threading
import urllib.request

import pytest

from conftest import URL, partition
from finledger_provider.sensors.partition_ready import PartitionReadySensor
from test_sensor import deferred, triggerer_run


def self_signed(tmp_path):
    """A CA and a certificate for 127.0.0.1 it signed, written as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject, key, issuer, issuer_key, ca):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "FinLedger test CA")])
    ca = certificate(ca_name, ca_key, ca_name, ca_key, True)
    server = certificate(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), server_key, ca_name,
                         ca_key, False)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(server.public_bytes(pem) + server_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return tmp_path / "ca.pem", tmp_path / "server.pem"


class TlsProxy:
    """HTTPS in front of the real control plane, with a certificate from a private CA."""

    def __init__(self, certificate):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                request = urllib.request.Request(URL + self.path, headers={
                    k: v for k, v in self.headers.items() if k.lower() in ("authorization", "accept", "if-none-match")})
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

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    ca, certificate = self_signed(tmp_path_factory.mktemp("tls"))
    proxy = TlsProxy(certificate)
    yield ca, proxy.port
    proxy.server.shutdown()


def outcome(mode, dataset, date, conn_id):
    """What the sensor concludes through the connection: 'READY', or the error it ends with."""
    sensor = PartitionReadySensor(task_id="ready", dataset=dataset, partition=date, finledger_conn_id=conn_id,
                                  deferrable=True, poke_interval=0.1)
    try:
        if mode == "poke":
            return sensor.poke({}).xcom_value["state"]
        from finledger_provider.triggers.partition_ready import PartitionReadyTrigger

        trigger = PartitionReadyTrigger(dataset=dataset, partition=date, finledger_conn_id=conn_id, poll_interval=0.1)
        event = triggerer_run(trigger)
        return event["readiness"]["state"] if event["status"] == "ready" else event["message"]
    except Exception as e:  # the poke's error, as the task would fail with it
        return f"{type(e).__name__}: {e}"


MODES = ["poke", "deferred"]


@pytest.mark.parametrize("mode", MODES)
def test_a_ca_bundle_in_verify_is_trusted(tls, monkeypatch, mode):
    ca, port = tls
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_TLS",
                       f'{{"conn_type": "finledger", "host": "https://127.0.0.1:{port}", "login": "pipeline", '
                       f'"password": "demo", "extra": {{"verify": "{ca}", "retries": 0}}}}')
    assert outcome(mode, *partition("FINLEDGER_READY"), "finledger_tls") == "READY"


@pytest.mark.parametrize("mode", MODES)
def test_verify_false_from_a_uri_connection_turns_verification_off(tls, monkeypatch, mode):
    _, port = tls
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_TLS", f"finledger://pipeline:demo@127.0.0.1:{port}/?verify=false&retries=0")
    assert outcome(mode, *partition("FINLEDGER_READY"), "finledger_tls") == "READY"


@pytest.mark.parametrize("mode", MODES)
def test_an_untrusted_certificate_is_refused_by_default(tls, monkeypatch, mode):
    _, port = tls
    monkeypatch.setenv("AIRFLOW_CONN_FINLEDGER_TLS", f"finledger://pipeline:demo@127.0.0.1:{port}/?retries=0")
    assert "CERTIFICATE_VERIFY_FAILED" in outcome(mode, *partition("FINLEDGER_READY"), "finledger_tls")


def test_a_verify_that_is_neither_a_flag_nor_a_file_is_named():
    from finledger_provider.hooks.finledger import tls_verify

    with pytest.raises(Exception, match="verify='/no/such/ca.pem' is neither true/false nor a CA bundle file"):
        tls_verify("/no/such/ca.pem", "finledger_tls")
