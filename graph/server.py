"""A real Neo4j Community server on loopback, without Docker: jars resolved from Maven Central, run on Java 17+.

The jars are resolved once into a cache outside the work tree (``~/.cache/coauthor-graph``, or
``$COAUTHOR_CACHE``), so later starts are fast and offline. Each server lives in a home folder of its own
(``conf/``, ``data/``, ``logs/``, ``neo4j.pid``) and listens on 127.0.0.1 only.

Plugins are opt-in (``LocalServer(..., plugins=("gds",))``, ``coauthor db start --with-gds``): their jars are
resolved the same way from their own pom (``graph/neo4j_server/gds-pom.xml``), linked into the home's ``plugins/``
folder, which is also on the classpath as in Neo4j's own start script, and their procedures run unrestricted.
With GDS 2.13.9 this adds 15 MB of jars to Neo4j's 123 MB.
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import neo4j
from neo4j import exceptions as neo4j_errors

from graph.config import DEFAULT_PASSWORD
from graph.errors import ServerControlError

__all__ = [
    "NEO4J_VERSION",
    "PLUGINS",
    "LocalServer",
    "Plugin",
    "default_home",
    "docker_available",
    "find_java",
    "free_port",
    "resolve_jars",
    "resolve_plugin",
]

POM = files("graph") / "neo4j_server" / "pom.xml"
NEO4J_VERSION = re.search(r"<neo4j.version>([^<]+)<", POM.read_text()).group(1)
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
PLUGINS_PROPERTY = "-Dcoauthor.plugins="  # on the server's command line: which plugins it was started with
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
BOLT_QUICK_STOP = {
    "internal.server.bolt.thread_pool_shutdown_wait_time": "0s",
    "internal.server.bolt.connection_shutdown_wait_time": "0s",
}
"""On stop, Bolt closes its threads and connections at once instead of waiting 5 s for each (by then the databases
have stopped and rolled back any open transaction): ``coauthor db stop`` took 14 s, 12 s of them these waits.
Unsupported (``internal.``) settings of Neo4j 5.26, the version the launcher pins; strict validation would refuse
them at start if a later version dropped them."""


def cache_dir() -> Path:
    return Path(os.environ.get("COAUTHOR_CACHE", Path.home() / ".cache" / "coauthor-graph"))


def default_home() -> Path:
    """Where ``coauthor db start`` keeps its server: ``$COAUTHOR_HOME`` or ``~/.local/share/coauthor-graph``."""
    base = os.environ.get("COAUTHOR_HOME", Path.home() / ".local" / "share" / "coauthor-graph")
    return Path(base) / "neo4j"


@dataclass(frozen=True)
class Plugin:
    """A server plugin resolved from Maven Central: its pom (in ``graph/neo4j_server``), version, procedures."""

    name: str
    title: str
    pom: str
    version: str
    procedures: str  # the namespace allowed to run unrestricted (GDS reaches into the kernel)


def _plugin(name: str, title: str, pom: str, version_property: str, procedures: str) -> Plugin:
    text = (files("graph") / "neo4j_server" / pom).read_text()
    version = re.search(rf"<{re.escape(version_property)}>([^<]+)<", text).group(1)
    return Plugin(name, title, pom, version, procedures)


PLUGINS = {"gds": _plugin("gds", "Graph Data Science", "gds-pom.xml", "gds.version", "gds.*")}


def resolve_jars(cache: Path | None = None) -> Path:
    """The folder holding the Neo4j server's jars, resolving them with Maven on first use."""
    lib = (cache or cache_dir()) / f"neo4j-{NEO4J_VERSION}" / "lib"
    return _maven_copy(POM.read_text(), lib, f"Neo4j {NEO4J_VERSION}")


def resolve_plugin(name: str, cache: Path | None = None) -> Path:
    """The folder holding plugin ``name``'s jars (one of :data:`PLUGINS`), resolving them on first use."""
    if name not in PLUGINS:
        raise ServerControlError(f"unknown server plugin {name!r} (known: {', '.join(PLUGINS)})")
    plugin = PLUGINS[name]
    lib = (cache or cache_dir()) / f"{name}-{plugin.version}-neo4j-{NEO4J_VERSION}" / "lib"
    pom = files("graph") / "neo4j_server" / plugin.pom
    return _maven_copy(pom.read_text(), lib, f"{plugin.title} {plugin.version}")


def _maven_copy(pom_text: str, lib: Path, what: str) -> Path:
    """Copy the dependencies of ``pom_text`` into ``lib`` with Maven, once (a marker file records success; servers
    started at the same time wait for one another's copy instead of writing the same files together)."""
    done = lib / ".resolved"
    if done.exists():
        return lib
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerControlError("Maven (mvn) is not installed", hint="install it, e.g. `apt-get install maven`")
    lib.mkdir(parents=True, exist_ok=True)
    with (lib.parent.parent / ".maven.lock").open("w") as lock:  # one for the cache: Maven's own repository is shared
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            _run_maven(mvn, pom_text, lib, what)
            done.touch()
    return lib


def _run_maven(mvn: str, pom_text: str, lib: Path, what: str) -> None:
    pom = lib.parent / "pom.xml"
    pom.write_text(pom_text)
    command = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies", f"-DoutputDirectory={lib}"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise ServerControlError(f"Maven could not resolve {what}:\n{tail}")


def find_java() -> str:
    """A Java 17 or 21 runtime (Neo4j 5.26's supported ones): ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise ServerControlError("no Java runtime found", hint="install Java 17 (e.g. openjdk-17-jre-headless)")
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    major = re.search(r'version "(\d+)', version)
    if not major or int(major.group(1)) not in (17, 21):
        raise ServerControlError(f"Neo4j {NEO4J_VERSION} needs Java 17 or 21; {java} is: {version.strip()[:80]}")
    return java


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for private servers in tests and benches)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def docker_available() -> bool:
    """Whether a Docker engine answers (``docker info``); the client alone is not enough."""
    docker = shutil.which("docker")
    if not docker:
        return False
    probe = subprocess.run([docker, "info"], capture_output=True, check=False, timeout=20)
    return probe.returncode == 0


@dataclass(frozen=True)
class LocalServer:
    """One local Neo4j server: its home folder, loopback ports, initial password and plugins (names of PLUGINS)."""

    home: Path
    bolt_port: int = 7687
    http_port: int = 7474
    password: str = DEFAULT_PASSWORD
    heap: str = "1g"
    pagecache: str = "512m"
    plugins: tuple[str, ...] = ()
    config: tuple[tuple[str, str], ...] = ()
    """More neo4j.conf settings, e.g. ``(("db.memory.transaction.max", "64m"),)``."""

    @property
    def uri(self) -> str:
        """The Bolt URI: ``bolt+ssc://`` when ``config`` requires TLS on Bolt (a plain driver never gets in)."""
        tls = dict(self.config).get("server.bolt.tls_level", "").upper() == "REQUIRED"
        return f"{'bolt+ssc' if tls else 'bolt'}://127.0.0.1:{self.bolt_port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    def pid(self) -> int | None:
        """The PID of this home's running server, or None (a stale PID file is removed)."""
        try:
            pid = int(self.pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError):
            cmdline, pid = "", 0
        if MAIN_CLASS in cmdline and str(self.home) in cmdline:
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def running_plugins(self) -> tuple[str, ...]:
        """The plugins the running server of this home was started with (empty when none runs)."""
        pid = self.pid()
        if pid is None:
            return ()
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        named = next((a.removeprefix(PLUGINS_PROPERTY) for a in arguments if a.startswith(PLUGINS_PROPERTY)), "")
        return tuple(name for name in named.split(",") if name)

    def running_ports(self) -> tuple[int, int] | None:
        """The Bolt and HTTP ports of this home's running server, as its neo4j.conf sets them (None when none runs)."""
        if self.pid() is None:
            return None
        conf = self.home / "conf" / "neo4j.conf"
        if ports := _listen_ports(conf):
            return ports
        raise ServerControlError(
            f"cannot tell the ports of the server of {self.home}: {conf} is missing or names none", self._stop_first()
        )

    def start(self, timeout: float = 180.0) -> int:
        """Start the server in the background and wait until Bolt answers; returns its PID.

        A server of this home that already runs is kept if it has the plugins and ports asked for, refused otherwise.
        """
        if pid := self.pid():
            self._check_running_matches()
            return pid
        self._check_port_free()
        java, lib = find_java(), resolve_jars()
        self._link_plugins([resolve_plugin(name) for name in self.plugins])
        self._write_config()
        self._set_initial_password(java, lib)
        console = (self.home / "logs" / "console.log").open("ab")
        command = [
            java,
            f"-Xmx{self.heap}",
            *JVM_OPTIONS,
            f"{PLUGINS_PROPERTY}{','.join(self.plugins)}",
            "-cp",
            f"{lib}/*:{self.home / 'plugins'}/*",  # plugins on the classpath too (their extensions), as neo4j's script
            MAIN_CLASS,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]
        process = subprocess.Popen(
            command,
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid_file.write_text(str(process.pid))
        self._wait_for_bolt(process, timeout)
        return process.pid

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop exactly this home's server (SIGTERM, then SIGKILL after ``timeout``); False if none ran."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.pid() and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.pid():
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the server's logs, for error messages."""
        tails = []
        for name in ("console.log", "neo4j.log"):
            log = self.home / "logs" / name
            if log.exists():
                tails.extend(log.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(tails[-lines:])

    def _write_config(self) -> None:
        for folder in ("conf", "data", "logs"):
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{self.http_port}",
            "server.https.enabled": "false",
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.plugins": str(self.home / "plugins"),
            "server.memory.pagecache.size": self.pagecache,
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            **BOLT_QUICK_STOP,
        }
        if self.plugins:
            unrestricted = ",".join(PLUGINS[name].procedures for name in self.plugins)
            settings["dbms.security.procedures.unrestricted"] = unrestricted
        settings.update(self.config)
        text = "".join(f"{key}={value}\n" for key, value in settings.items())
        (self.home / "conf" / "neo4j.conf").write_text(text)

    def _link_plugins(self, folders: list[Path]) -> None:
        """Make ``plugins/`` hold links to exactly the jars of ``folders`` (the plugins of this start)."""
        plugins = self.home / "plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        for old in plugins.iterdir():
            if old.is_symlink():
                old.unlink()
        for folder in folders:
            for jar in folder.glob("*.jar"):
                (plugins / jar.name).symlink_to(jar)

    def _set_initial_password(self, java: str, lib: Path) -> None:
        """Run ``neo4j-admin dbms set-initial-password`` with the password in a private argument file, deleted
        afterwards, so it never shows on a command line (``ps``, /proc) or in the logs."""
        if (self.home / "data" / "dbms" / "auth.ini").exists():
            return
        env = {
            **os.environ,
            "NEO4J_HOME": str(self.home),
            "NEO4J_CONF": str(self.home / "conf"),
            "LC_ALL": "C.UTF-8",  # Java decodes arguments by the locale: keep non-ASCII passwords intact
        }
        descriptor, arguments = tempfile.mkstemp(prefix="set-password-", dir=self.home)  # mode 0600
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(f"org.neo4j.cli.AdminTool dbms set-initial-password {_java_quoted(self.password)}\n")
            command = [java, "-cp", f"{lib}/*", f"@{arguments}"]
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        finally:
            os.unlink(arguments)
        if result.returncode != 0:
            raise ServerControlError(f"could not set the initial password: {result.stdout}{result.stderr}")

    def _check_running_matches(self) -> None:
        """Refuse when this home's running server lacks a plugin asked for, or listens on other ports."""
        if missing := sorted(set(self.plugins) - set(self.running_plugins())):
            message = f"the server of {self.home} already runs without {', '.join(missing)}"
            raise ServerControlError(message, self._stop_first())
        if (ports := self.running_ports()) not in (None, (self.bolt_port, self.http_port)):
            bolt, http = ports
            raise ServerControlError(
                f"the server of {self.home} already runs on Bolt port {bolt} and HTTP port {http}, "
                f"not {self.bolt_port} and {self.http_port}",
                hint=f"{self._stop_first()}, or use its ports: --bolt-port {bolt} --http-port {http} "
                f"(NEO4J_URI={replace(self, bolt_port=bolt).uri})",
            )

    def _stop_first(self) -> str:
        """The hint when this home's running server is not the one asked for."""
        return f"stop it first with `coauthor db stop --home {shlex.quote(str(self.home))}`"

    def _check_port_free(self) -> None:
        for port in (self.bolt_port, self.http_port):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    raise ServerControlError(
                        f"port {port} on 127.0.0.1 is already in use (another Neo4j?)",
                        hint="stop it, or choose other ports with --bolt-port / --http-port",
                    )

    def _wait_for_bolt(self, process: subprocess.Popen, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", self.password)) as driver:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    self.pid_file.unlink(missing_ok=True)
                    raise ServerControlError(
                        f"Neo4j exited with code {process.returncode} while starting; log tail:\n{self.log_tail()}"
                    )
                try:
                    driver.verify_connectivity()
                    return
                except neo4j_errors.AuthError as err:
                    raise ServerControlError(
                        f"the server in {self.home} has another password than the one given",
                        hint="set NEO4J_PASSWORD to the password it was first started with",
                    ) from err
                except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError):
                    time.sleep(0.25)
        self.stop()
        raise ServerControlError(
            f"Neo4j did not answer on {self.uri} within {timeout:.0f} s; log tail:\n{self.log_tail()}"
        )


def _listen_ports(conf: Path) -> tuple[int, int] | None:
    """The Bolt and HTTP ports a neo4j.conf listens on (``server.bolt.listen_address=127.0.0.1:7687``, ...); None
    when it is missing or does not name both."""
    text = conf.read_text() if conf.is_file() else ""
    bolt, http = (re.search(rf"^server\.{kind}\.listen_address=.*:(\d+)\s*$", text, re.M) for kind in ("bolt", "http"))
    return (int(bolt.group(1)), int(http.group(1))) if bolt and http else None


def _java_quoted(text: str) -> str:
    """``text`` as one argument of a java launcher argument file (``java @file``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
