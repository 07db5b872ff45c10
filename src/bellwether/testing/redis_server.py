"""A Redis for the tests of the Redis queue: the one on 127.0.0.1:6379 when it answers,
else a redis-server started for the test run (stopped when it ends), as
``scripts/ensure-postgres.sh`` does for PostgreSQL. No Redis at all is a clear failure,
never a skip."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import time

import redis

from bellwether.testing.smtp import free_port

DEFAULT_URL = "redis://127.0.0.1:6379/0"


class RedisUnavailable(RuntimeError):
    pass


def _answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def ensure_redis() -> str:
    """A URL of a Redis that answers."""
    if _answers(DEFAULT_URL):
        return DEFAULT_URL
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable(
            "No Redis answers on 127.0.0.1:6379 and redis-server is not installed: "
            "run scripts/ensure-system-packages.sh (or apt-get install redis-server)."
        )
    port = free_port()
    folder = tempfile.mkdtemp(prefix="bellwether-redis-")
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if _answers(url):
            return url
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RedisUnavailable(f"redis-server did not start on port {port}")
