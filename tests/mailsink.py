"""A real SMTP server process on 127.0.0.1 for the e-mail tests: aiosmtpd's command
line server with its Maildir handler. A test sends through it and reads what it received
(``messages()``: parsed ``email.message.EmailMessage`` objects, oldest first).

Also used by the benchmarks (N1, N2) as the SMTP sink; ``python -m tests.mailsink DIR``
runs one in the foreground and prints its port.
"""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = Path(directory)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> MailSink:
        for sub in ("tmp", "new", "cur"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the SMTP server stopped: {self.process.stderr.read().decode()[-500:]}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    if s.recv(3) == b"220":
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the SMTP server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def _files(self) -> list[Path]:
        return [
            p for sub in ("new", "cur") for p in (self.directory / sub).glob("*") if p.is_file()
        ]

    def messages(self) -> list[email.message.EmailMessage]:
        """Everything received so far, oldest first (the server writes each message
        before it answers the client's end of data)."""
        found = []
        for path in self._files():
            with open(path, "rb") as fh:
                message = email.message_from_binary_file(fh, policy=email.policy.default)
            found.append((path.stat().st_mtime_ns, path.name, message))
        return [m for _t, _n, m in sorted(found, key=lambda f: (f[0], f[1]))]

    def clear(self) -> None:
        for path in self._files():
            path.unlink(missing_ok=True)


if __name__ == "__main__":
    sink = MailSink(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None).start()
    print(sink.port, flush=True)
    try:
        sink.process.wait()
    except KeyboardInterrupt:
        sink.stop()
