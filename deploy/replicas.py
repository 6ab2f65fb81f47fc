"""Several dashboard processes on one machine behind Debian's nginx, with sticky sessions.

    python deploy/replicas.py config --replicas 2 --first-port 8501 > sharedsvc.conf
    python deploy/replicas.py start --replicas 2 --listen 127.0.0.1:8080 \\
        --secrets /etc/sharedsvc/secrets.toml

``config`` writes the nginx configuration for N processes (on ports FIRST, FIRST+1, …),
for /etc/nginx/conf.d/ on a server whose nginx is managed as usual. ``start`` starts the
N processes and an nginx of its own (in a folder of its own, with the same
configuration) in the foreground, until Ctrl-C: for trying the set-up, for a machine
without a service manager, and for the benchmarks and tests.

How the sessions stick. Open-source nginx has no "sticky cookie", so the configuration
makes its own: the first response to a browser carries a cookie naming the process that
answered (``sharedsvc_replica=r1``), from the address nginx passed the request to. Every
later request with that cookie (the page, its websocket ``/_stcore/stream``, its uploads
``/_stcore/upload_file/…``, the sign-in's return ``/oauth2callback``) goes to the same
process. A browser with no cookie goes to the process with the fewest open connections.
If its process is down, a browser is sent to another one and given a new cookie (the
page starts a new session there; nothing held in the store is lost).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
COOKIE = "sharedsvc_replica"
START_S = 60.0


def replica_name(index: int) -> str:
    return f"r{index + 1}"


def site(
    ports: Sequence[int],
    listen: str = "127.0.0.1:8080",
    server_name: str = "_",
    tls: tuple[str, str] | None = None,
    access_log: str | None = None,
) -> str:
    """The nginx configuration (for the ``http`` block, as /etc/nginx/conf.d/ is) for one
    dashboard process on each of ``ports`` of 127.0.0.1. With ``tls`` (certificate and
    key files) nginx listens with TLS and the cookie is sent over https only."""
    if not ports:
        raise ValueError("at least one port is needed")
    lines = [
        "# sharedsvc: the dashboard's processes behind one address, each browser kept on",
        "# one process by the cookie " + COOKIE + " (see docs/scaling.md)",
        "",
        "# the process a browser is kept on; a browser with none goes to the least busy",
        f"map $cookie_{COOKIE} $sharedsvc_upstream {{",
        "    default sharedsvc_any;",
    ]
    lines += [f"    {replica_name(i)} sharedsvc_{replica_name(i)};" for i in range(len(ports))]
    lines += [
        "}",
        "",
        "# the process that answered, named from its address (after a retry, the last one)",
        "map $upstream_addr $sharedsvc_answered {",
        '    default "";',
    ]
    lines += [f"    ~127\\.0\\.0\\.1:{port}$ {replica_name(i)};" for i, port in enumerate(ports)]
    secure = "; Secure" if tls else ""
    lines += [
        "}",
        "",
        "# a cookie naming it, sent only when the browser is not already kept on it",
        f"map $cookie_{COOKIE}/$sharedsvc_answered $sharedsvc_set_cookie {{",
        f'    default "{COOKIE}=$sharedsvc_answered; Path=/; HttpOnly; SameSite=Lax{secure}";',
        '    ~/$ "";',
    ]
    lines += [f'    {replica_name(i)}/{replica_name(i)} "";' for i in range(len(ports))]
    lines += [
        "}",
        "",
        "map $http_upgrade $sharedsvc_connection {",
        "    default upgrade;",
        "    '' close;",
        "}",
        "",
        "log_format sharedsvc '$remote_addr [$time_local] \"$request\" $status '",
        "    'replica=$upstream_addr kept=\"$cookie_" + COOKIE + '" "$http_user_agent"\';',
        "",
        "upstream sharedsvc_any {",
        "    least_conn;",
    ]
    lines += [f"    server 127.0.0.1:{port};" for port in ports]
    lines.append("}")
    for i, port in enumerate(ports):
        # the others stand by, so a browser whose process is down is moved, not refused
        lines += ["", f"upstream sharedsvc_{replica_name(i)} {{", f"    server 127.0.0.1:{port};"]
        lines += [f"    server 127.0.0.1:{other} backup;" for other in ports if other != port]
        lines.append("}")
    lines += [
        "",
        "server {",
        f"    listen {listen}{' ssl' if tls else ''};",
        f"    server_name {server_name};",
    ]
    if tls:
        lines += [f"    ssl_certificate {tls[0]};", f"    ssl_certificate_key {tls[1]};"]
    if access_log:
        lines.append(f"    access_log {access_log} sharedsvc;")
    lines += [
        "    large_client_header_buffers 8 32k;  # the sign-in cookie, from the browser",
        "    client_max_body_size 200m;          # Streamlit's own upper limit on an upload",
        "",
        "    location / {",
        "        proxy_pass http://$sharedsvc_upstream;",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Upgrade $http_upgrade;",
        "        proxy_set_header Connection $sharedsvc_connection;",
        "        proxy_set_header Host $http_host;",
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "        proxy_buffer_size 32k;               # Streamlit's Set-Cookie, to the browser",
        "        proxy_buffers 8 32k;",
        "        proxy_read_timeout 86400s;           # keep idle sessions' websockets open",
        "        proxy_send_timeout 86400s;",
        "        add_header Set-Cookie $sharedsvc_set_cookie always;",
        "    }",
        "}",
        "",
    ]
    return "\n".join(lines)


def private_nginx_conf(folder: Path, site_file: Path) -> str:
    """A whole nginx.conf for an nginx of our own whose files all live in ``folder``
    (the pid file and error log are given on the command line, see :func:`nginx_command`)."""
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    lines = [
        # as root, nginx would run its workers as "nobody", who cannot reach this folder
        "user root;" if os.geteuid() == 0 else "",
        "worker_processes 1;",
        "events { worker_connections 2048; }",
        "http {",
        f"    access_log {folder / 'access.log'};",
        f"    client_body_temp_path {temp['client_body']};",
        f"    proxy_temp_path {temp['proxy']};",
        f"    fastcgi_temp_path {temp['fastcgi']};",
        f"    uwsgi_temp_path {temp['uwsgi']};",
        f"    scgi_temp_path {temp['scgi']};",
        f"    include {site_file};",
        "}",
        "",
    ]
    return "\n".join(lines)


def nginx_command(folder: Path, conf: Path) -> list[str]:
    return [
        NGINX,
        "-p",
        str(folder),
        "-e",
        str(folder / "error.log"),
        "-c",
        str(conf),
        "-g",
        f"daemon off; pid {folder / 'nginx.pid'}; error_log {folder / 'error.log'};",
    ]


def start_nginx(folder: Path, ports: Sequence[int], listen_port: int) -> subprocess.Popen[bytes]:
    """Debian's nginx in the foreground, on 127.0.0.1:``listen_port`` in front of
    ``ports``, with its configuration, logs and temporary files in ``folder``; its
    access log (``folder``/replicas.log) names the process that served each request."""
    folder.mkdir(parents=True, exist_ok=True)
    site_file = folder / "sharedsvc.conf"
    site_file.write_text(
        site(ports, f"127.0.0.1:{listen_port}", access_log=str(folder / "replicas.log")),
        encoding="utf-8",
    )
    conf = folder / "nginx.conf"
    conf.write_text(private_nginx_conf(folder, site_file), encoding="utf-8")
    proc = subprocess.Popen(
        nginx_command(folder, conf),
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "nginx.out", "wb"),  # noqa: SIM115 (the child keeps it)
    )
    _wait_until_up(f"http://127.0.0.1:{listen_port}/_stcore/health", proc, folder / "error.log")
    return proc


def start_replica(
    db: Path, port: int, log: Path, secrets: Path | None = None
) -> subprocess.Popen[bytes]:
    """One dashboard process over the store ``db`` on 127.0.0.1:``port``; not waited for
    (see :func:`wait_for`)."""
    env = dict(os.environ, SHAREDSVC_DB=str(db))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    if secrets is not None:
        command += ["--secrets.files", str(secrets)]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=open(log, "wb"),  # noqa: SIM115 (the child keeps it)
        stderr=subprocess.STDOUT,
    )


def wait_for(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    _wait_until_up(f"http://127.0.0.1:{port}/_stcore/health", proc, log)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_S
    while True:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{proc.args[0]} stopped before {url} answered:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {START_S:.0f} s")
        time.sleep(0.2)


def stop(procs: Sequence[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    config = commands.add_parser("config", help="write the nginx configuration")
    start = commands.add_parser("start", help="start the processes and an nginx of their own")
    for each in (config, start):
        each.add_argument("--replicas", type=int, default=2, help="how many processes")
        each.add_argument("--first-port", type=int, default=8501, help="the first one's port")
    config.add_argument("--listen", default="443", help="nginx's address and port")
    config.add_argument("--server-name", default="_", help="the public host name")
    config.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="certificate files")
    config.add_argument(
        "--access-log", default="/var/log/nginx/sharedsvc.log", help="which process served what"
    )
    start.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address and port")
    start.add_argument("--secrets", type=Path, help="the secrets file every process reads")
    start.add_argument("--db", type=Path, help="the store (else $SHAREDSVC_DB or the default)")
    start.add_argument(
        "--folder",
        type=Path,
        default=Path(tempfile.gettempdir()) / "sharedsvc-replicas",
        help="for the logs and nginx's files",
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    ports = [args.first_port + i for i in range(args.replicas)]
    if args.command == "config":
        tls = tuple(args.tls) if args.tls else None
        sys.stdout.write(
            site(ports, args.listen, args.server_name, tls, args.access_log)  # type: ignore[arg-type]
        )
        return 0
    host, listen_port = _listen(args.listen)
    if host != "127.0.0.1":
        parser.error("start listens on 127.0.0.1 only; put the configuration in nginx for more")
    if not Path(NGINX).exists():
        parser.error(f"{NGINX} is missing: apt-get install nginx")
    from sharedsvc_core.store import default_path

    db = (args.db or Path(os.environ.get("SHAREDSVC_DB") or default_path())).resolve()
    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    procs: list[subprocess.Popen[bytes]] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        logs = [folder / f"replica-{replica_name(i)}.log" for i in range(len(ports))]
        for port, log in zip(ports, logs, strict=True):
            procs.append(start_replica(db, port, log, args.secrets))
        for proc, port, log in zip(procs, ports, logs, strict=True):
            wait_for(port, proc, log)
        procs.append(start_nginx(folder / "nginx", ports, listen_port))
        print(f"{len(ports)} processes over {db}, behind http://127.0.0.1:{listen_port}")
        print(f"logs in {folder}; Ctrl-C stops them all", flush=True)
        while all(proc.poll() is None for proc in procs):
            time.sleep(1)
        print("a process stopped: stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(procs)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
