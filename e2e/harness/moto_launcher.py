"""Starts moto server for the tests and the local default, with harness-only extensions.

Lives in the harness, never in the product: it reaches into moto 5.2.1's internals,
so it checks that version and refuses any other.

Extensions (under /moto-api/harness/, which real AWS and LocalStack do not have):
  POST /moto-api/harness/rotation-dates  {"secretId", "region"?, "lastRotatedDate"?, "nextRotationDate"?}
      Sets a secret's LastRotatedDate / NextRotationDate (epoch seconds), which no AWS
      API can set: the demo account needs a secret whose rotation is overdue.

Usage: python3 moto_launcher.py [--host 127.0.0.1] [--port 0]
Prints "moto listening on http://HOST:PORT" once it accepts connections.
"""

import argparse
import json
import signal
import sys
import threading

import moto

REQUIRED_MOTO = "5.2.1"
if moto.__version__ != REQUIRED_MOTO:
    sys.exit(f"moto_launcher needs moto {REQUIRED_MOTO}, found {moto.__version__}: pip install 'moto[server]=={REQUIRED_MOTO}'")

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.moto_api._internal import urls as moto_api_urls  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402
from moto.secretsmanager.models import secretsmanager_backends  # noqa: E402


def _json(status, body):
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def set_rotation_dates(request, full_url, headers):
    if request.method != "POST":
        return _json(405, {"error": "POST only"})
    try:
        body = json.loads(request.data or b"{}")
        backend = secretsmanager_backends[DEFAULT_ACCOUNT_ID][body.get("region", "us-east-1")]
        secret = backend.secrets[body["secretId"]]
    except (KeyError, ValueError) as error:
        return _json(404, {"error": f"no such secret: {error}"})
    if "lastRotatedDate" in body:
        secret.last_rotation_date = int(body["lastRotatedDate"])
    if "nextRotationDate" in body:
        secret.next_rotation_date = int(body["nextRotationDate"])
    return _json(200, {"status": "ok"})


moto_api_urls.url_paths["{0}/moto-api/harness/rotation-dates$"] = set_rotation_dates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"moto listening on http://{host}:{port}", flush=True)

    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    server.stop()


if __name__ == "__main__":
    main()
