"""A Neo4j whose Bolt connector requires TLS with a self-signed certificate: plain URIs get one clear line (exit 11),
``+ssc`` URIs work, ``+s`` URIs are told the certificate is not trusted (exit 13); the password is never shown."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from neo4j_support import NO_HTTP, QUICK_JVM, private_server
from test_server_trouble import _one_clear_line, hang_up, serving

from coauthor import cli
from graph.config import Settings
from graph.connection import connect
from graph.model import AuthorRef, Paper
from graph.server import LocalServer
from graph.writer import write_records

pytestmark = pytest.mark.neo4j

PASSWORD = "tls-Secret-4711"
"""The server's password: distinctive, so a leak into any output is found."""


def write_self_signed_certificate(folder: Path) -> None:
    """A fresh RSA key (PKCS#8 PEM, as Neo4j wants) and a self-signed certificate for 127.0.0.1 in ``folder``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (folder / "private.key").write_bytes(pkcs8)
    (folder / "public.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def tls_required(certificates: Path) -> tuple[tuple[str, str], ...]:
    """neo4j.conf settings for a Bolt connector that refuses plain connections (HTTP stays plain)."""
    return (
        ("server.bolt.tls_level", "REQUIRED"),
        ("dbms.ssl.policy.bolt.enabled", "true"),
        ("dbms.ssl.policy.bolt.base_directory", str(certificates)),
        ("dbms.ssl.policy.bolt.private_key", "private.key"),
        ("dbms.ssl.policy.bolt.public_certificate", "public.crt"),
        ("dbms.ssl.policy.bolt.client_auth", "NONE"),
    )


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a private server whose Bolt requires TLS, holding one paper by two authors."""
    home = tmp_path_factory.mktemp("tls-neo4j")
    write_self_signed_certificate(home / "certificates" / "bolt")
    config = (*tls_required(home / "certificates" / "bolt"), NO_HTTP)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JAVA_TOOL_OPTIONS", QUICK_JVM)
        with private_server(home / "neo4j", config, PASSWORD) as server:
            with connect(Settings(uri=server.uri, password=PASSWORD)) as graph:
                authors = (AuthorRef("Ada Tls", 1), AuthorRef("Bob Tls", 2))
                write_records(graph, [Paper(title="Encrypted", authors=authors, source="test", source_ref="test:1")])
            yield server.uri.partition("://")[2]


@pytest.fixture
def closing_port() -> Iterator[int]:
    """A port that reads what a client sends and hangs up, speaking neither Bolt nor TLS (as a TLS-only server
    hangs up on a plain Bolt handshake)."""
    with serving(hang_up(read_first=True, reset=False)) as port:
        yield port


def run_stats(uri: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    result = CliRunner().invoke(cli, ["--timeout", "10", "stats", "--format", "json"])
    assert PASSWORD not in result.output
    return result


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_plain_uri_against_a_tls_only_server_says_it_requires_tls(
    scheme: str, tls_server: str, monkeypatch: pytest.MonkeyPatch
):
    result = run_stats(f"{scheme}://{tls_server}", monkeypatch)
    assert result.exit_code == 11, result.output
    assert result.output.startswith(f"Error: the server at {scheme}://{tls_server} requires TLS\n")
    assert "hint: use neo4j+s:// (Aura, clusters with certificates) or neo4j+ssc:// (self-signed)" in result.output
    _one_clear_line(result.output)


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_self_signed_schemes_read_a_tls_only_server(scheme: str, tls_server: str, monkeypatch: pytest.MonkeyPatch):
    result = run_stats(f"{scheme}://{tls_server}", monkeypatch)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert (counts["papers"], counts["authors"], counts["coauthor_pairs"]) == (1, 2, 1)


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_an_untrusted_certificate_is_its_own_clear_error(scheme: str, tls_server: str, monkeypatch: pytest.MonkeyPatch):
    result = run_stats(f"{scheme}://{tls_server}", monkeypatch)
    assert result.exit_code == 13, result.output
    assert result.output.startswith(
        f"Error: the certificate of the server at {scheme}://{tls_server} is not trusted: self-signed certificate\n"
    )
    assert "use neo4j+ssc:// or bolt+ssc:// to accept a self-signed certificate" in result.output
    _one_clear_line(result.output)


def test_a_port_that_closes_plain_connections_without_tls_is_not_called_tls(
    closing_port: int, monkeypatch: pytest.MonkeyPatch
):
    result = run_stats(f"bolt://127.0.0.1:{closing_port}", monkeypatch)
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"Error: no Neo4j server answers at bolt://127.0.0.1:{closing_port}\n")
    _one_clear_line(result.output)


@pytest.mark.parametrize(
    ("config", "scheme"),
    [
        ((), "bolt"),
        ((("server.bolt.tls_level", "OPTIONAL"),), "bolt"),
        ((("server.bolt.tls_level", "required"),), "bolt+ssc"),
    ],
)
def test_a_local_server_is_reached_in_tls_when_its_bolt_requires_it(
    config: tuple[tuple[str, str], ...], scheme: str, tmp_path: Path
):
    assert LocalServer(tmp_path, bolt_port=7999, config=config).uri == f"{scheme}://127.0.0.1:7999"
