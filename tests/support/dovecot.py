"""A real Dovecot on 127.0.0.1 for IMAP tests (Debian's dovecot-imapd): the ``dovecot`` fixture
(module scope: import it into a test module) and ``append`` to put messages into INBOX."""

from __future__ import annotations

import datetime as dt
import getpass
import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
)
needs_dovecot = pytest.mark.skipif(DOVECOT is None, reason="dovecot-imapd is not installed")
PASSWORD = "s3cret-IMAP-pw-xyz"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cert(tmp: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    c, k = tmp / "cert.pem", tmp / "key.pem"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))  # fmt: skip
    k.chmod(0o600)
    return c, k


@pytest.fixture(scope="module")
def dovecot():
    # not under pytest's tmp: its parents are 0700, and dovecot's workers run as other users
    tmp = Path(tempfile.mkdtemp(prefix="netassist-dovecot-"))
    cert, key = _cert(tmp)
    port = _free_port()
    if os.getuid() == 0:  # dovecot refuses to run its login and mail processes as root
        import pwd

        login_user, internal_user = "dovenull", "dovecot"
        pw = pwd.getpwnam("dovecot")
        uid, gid = pw.pw_uid, pw.pw_gid
    else:
        login_user = internal_user = getpass.getuser()
        uid, gid = os.getuid(), os.getgid()
    (tmp / "users").write_text(f"alice@example.org:{{PLAIN}}{PASSWORD}::::::\n")
    (tmp / "mail").mkdir()
    os.chown(tmp / "mail", uid, gid)
    tmp.chmod(0o755)
    conf = tmp / "dovecot.conf"
    conf.write_text(f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = 1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
mail_location = maildir:{tmp}/mail/%u
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = {tmp}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={tmp}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""")
    proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                log = (tmp / "dovecot.log").read_text() if (tmp / "dovecot.log").exists() else ""
                pytest.fail(f"dovecot did not start: {out}\n{log}")
            time.sleep(0.2)
    yield {"port": port, "cafile": str(cert), "tmp": tmp}
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(tmp, ignore_errors=True)


def append(port: int, cafile: str, n_from: int, n: int) -> None:
    ctx = ssl.create_default_context(cafile=cafile)
    c = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ctx)
    c.login("alice@example.org", PASSWORD)
    for i in range(n_from, n_from + n):
        msg = (
            f"From: =?utf-8?B?0JHQvtGA0LjRgQ==?= <boris{i % 3}@example.ru>\r\n"
            "To: alice@example.org\r\n"
            f"Subject: =?utf-8?B?0J/RgNC40LLQtdGC?= {i}\r\n"
            f"Message-ID: <m{i}@example.ru>\r\n"
            f"Date: Mon, 3 Nov 2025 10:{i % 60:02d}:00 +0300\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Привет, Алиса! Письмо номер {i}.\r\n"
        ).encode()
        c.append("INBOX", None, None, msg)
    c.logout()
