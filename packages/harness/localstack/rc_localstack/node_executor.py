"""A LocalStack Lambda runtime executor that runs Node.js functions as local processes (no Docker).

LocalStack's own executor starts a container per execution environment, whose init binary serves
the Lambda Runtime API to the language runtime and reports back to LocalStack. Here each execution
environment is one Node.js process (node_runtime.mjs) started with the function's environment, and
this executor serves the Lambda Runtime API to it on 127.0.0.1:

    GET  /2018-06-01/runtime/invocation/next             the next event (blocks until there is one)
    POST /2018-06-01/runtime/invocation/{id}/response    the handler's result
    POST /2018-06-01/runtime/invocation/{id}/error       the handler's error
    POST /2018-06-01/runtime/init/error                  the handler could not be loaded

The environment is ready when the runtime first asks for the next event. What the process prints
during an invocation becomes that invocation's log (LocalStack writes it to the function's
CloudWatch Logs group), framed by START/END/REPORT lines as Lambda frames them. A handler that runs
past the function's timeout is killed ("Task timed out"), and the next invocation starts a fresh
process, as Lambda replaces the environment.

AWS_ENDPOINT_URL points back at LocalStack (LocalStack sets it; this executor answers 127.0.0.1 as
its address), so the rotation functions' SDK calls land in the emulator.
"""

import json
import logging
import os
import queue
import select
import socket
import subprocess
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import LambdaRuntimeException, RuntimeExecutor

LOG = logging.getLogger(__name__)

RUNTIME_SCRIPT = os.path.join(os.path.dirname(__file__), "node_runtime.mjs")
NODE = os.environ.get("RC_NODE") or "node"
API_PREFIX = "/2018-06-01/runtime"
END_MARKER = "@@rc-invocation-end "
STARTUP_TIMEOUT_S = 20
# How often a waiting GET invocation/next looks whether its runtime still waits for the answer.
CLIENT_CHECK_S = 1


class _Environment:
    """One Node.js process and the Runtime API it talks to."""

    def __init__(self, executor_id: str, code_dir: str, env: dict[str, str]):
        self.events: queue.Queue = queue.Queue()
        self.results: dict[str, queue.Queue] = {}
        self.ready = threading.Event()
        self.init_error: bytes | None = None
        self.output: queue.Queue = queue.Queue()
        self.all_output: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _runtime_api_handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name=f"lambda-api-{executor_id}", daemon=True).start()
        port = self.server.server_address[1]
        self.process = subprocess.Popen(
            [NODE, RUNTIME_SCRIPT],
            cwd=code_dir,
            env={**env, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}", "LAMBDA_TASK_ROOT": code_dir},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read_output, name=f"lambda-out-{executor_id}", daemon=True).start()

    def _read_output(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.all_output.append(line)
            self.output.put(line)
        self.output.put(None)
        # A runtime that exits before it is ready ends the wait for it.
        self.ready.set()

    def wait_ready(self):
        if not self.ready.wait(STARTUP_TIMEOUT_S):
            raise LambdaRuntimeException(f"the Node.js runtime did not ask for an event within {STARTUP_TIMEOUT_S} s")
        if self.init_error is not None or self.process.poll() is not None:
            detail = (self.init_error or b"").decode(errors="replace") or "\n".join(self.all_output[-10:])
            raise LambdaRuntimeException(f"the Node.js runtime failed to start: {detail}")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.events.put(None)
        self.server.shutdown()
        self.server.server_close()


_GONE = object()


def _runtime_api_handler(environment: _Environment):
    class RuntimeApi(BaseHTTPRequestHandler):
        def log_message(self, *args):  # the runtime's calls are not LocalStack's log
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path != f"{API_PREFIX}/invocation/next":
                return self._answer(HTTPStatus.NOT_FOUND)
            environment.ready.set()
            event = self._next_event()
            if event is _GONE:
                return
            if event is None:  # the environment stops
                return self._answer(HTTPStatus.GONE)
            self._answer(
                HTTPStatus.OK,
                event["payload"].encode(),
                {
                    "Content-Type": "application/json",
                    "Lambda-Runtime-Aws-Request-Id": event["invoke-id"],
                    "Lambda-Runtime-Deadline-Ms": str(event["deadline-ms"]),
                    "Lambda-Runtime-Invoked-Function-Arn": event["invoked-function-arn"],
                    "Lambda-Runtime-Trace-Id": event.get("trace-id") or "",
                },
            )

        def _next_event(self):
            """The next event, taken from the queue only while the runtime is still connected: an event
            answered to a connection its client has closed would be lost, and its invocation would run
            into the function's timeout without the handler ever seeing it."""
            while True:
                try:
                    return environment.events.get(timeout=CLIENT_CHECK_S)
                except queue.Empty:
                    if self._client_gone():
                        self.close_connection = True
                        return _GONE

        def _client_gone(self) -> bool:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == f"{API_PREFIX}/init/error":
                environment.init_error = body
                environment.ready.set()
                return self._answer(HTTPStatus.ACCEPTED, b'{"status":"OK"}')
            parts = self.path[len(API_PREFIX) :].strip("/").split("/")
            # invocation/{id}/response | invocation/{id}/error
            if len(parts) != 3 or parts[0] != "invocation" or parts[2] not in ("response", "error"):
                return self._answer(HTTPStatus.NOT_FOUND)
            waiting = environment.results.get(parts[1])
            if waiting is None:
                return self._answer(HTTPStatus.BAD_REQUEST, b'{"errorMessage":"unknown request id"}')
            waiting.put((parts[2] == "error", body))
            self._answer(HTTPStatus.ACCEPTED, b'{"status":"OK"}')

    return RuntimeApi


class NodeRuntimeExecutor(RuntimeExecutor):
    """LAMBDA_RUNTIME_EXECUTOR=node: Node.js functions as local processes (see the module's doc)."""

    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id=id, function_version=function_version)
        self.env_vars: dict[str, str] = {}
        self.environment: _Environment | None = None
        self.lock = threading.Lock()

    def _code_dir(self) -> str:
        return str(self.function_version.config.code.get_unzipped_code_location())

    def _spawn(self) -> _Environment:
        environment = _Environment(self.id, self._code_dir(), self.env_vars)
        try:
            environment.wait_ready()
        except Exception:
            environment.stop()
            raise
        return environment

    def start(self, env_vars: dict[str, str]) -> None:
        endpoint = env_vars.get("AWS_ENDPOINT_URL", "")
        self.env_vars = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            **{k: str(v) for k, v in env_vars.items()},
            # The function talks to this LocalStack, whatever endpoint its configuration names
            # (the console points a VPC function at the Secrets Manager endpoint of its region).
            "AWS_ENDPOINT_URL": endpoint,
            "SECRETS_MANAGER_ENDPOINT": endpoint,
        }
        self.environment = self._spawn()

    def stop(self) -> None:
        if self.environment:
            self.environment.stop()

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        return "127.0.0.1"

    def get_runtime_endpoint(self) -> str:
        # Not used: results come back through the Runtime API this executor serves itself.
        from localstack import config

        return f"http://127.0.0.1:{config.GATEWAY_LISTEN[0].port}/_localstack_lambda/{self.id}"

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        timeout = float(self.function_version.config.timeout or 3)
        with self.lock:
            if self.environment is None or not self.environment.alive():
                # The last invocation timed out (or the runtime died): a fresh environment, as Lambda does.
                self.environment = self._spawn()
            environment = self.environment
            while not environment.output.empty():
                environment.output.get_nowait()
            answer: queue.Queue = queue.Queue()
            environment.results[request_id] = answer
            started = time.monotonic()
            environment.events.put({**payload, "deadline-ms": int((time.time() + timeout) * 1000)})
            try:
                is_error, body = answer.get(timeout=timeout)
                timed_out = False
            except queue.Empty:
                timed_out = True
                environment.process.kill()
            finally:
                environment.results.pop(request_id, None)
            lines = self._invocation_output(environment, request_id)
            elapsed_ms = (time.monotonic() - started) * 1000
        if timed_out:
            message = f"Task timed out after {timeout:.2f} seconds"
            lines.append(f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime())}Z {request_id} {message}")
            is_error, body = True, json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": message}).encode()
        logs = "\n".join(
            [f"START RequestId: {request_id} Version: {self.function_version.id.qualifier}"]
            + lines
            + [
                f"END RequestId: {request_id}",
                f"REPORT RequestId: {request_id}\tDuration: {elapsed_ms:.2f} ms\tBilled Duration: {int(elapsed_ms) + 1} ms",
            ]
        )
        return InvocationResult(request_id=request_id, payload=body, is_error=is_error, logs=logs)

    @staticmethod
    def _invocation_output(environment: _Environment, request_id: str) -> list[str]:
        """What the runtime printed for this invocation: up to its end marker (node_runtime.mjs
        prints it after the handler, before the result), or whatever is there if it died."""
        lines: list[str] = []
        marker = END_MARKER + request_id
        while True:
            try:
                line = environment.output.get(timeout=2)
            except queue.Empty:
                return lines
            if line is None or line == marker:
                return lines
            if not line.strip() or line.startswith(END_MARKER):
                continue
            lines.append(line)

    def get_logs(self) -> str:
        return "\n".join(self.environment.all_output) if self.environment else ""

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        runtime = function_version.config.runtime or ""
        if not runtime.startswith("nodejs"):
            raise LambdaRuntimeException(
                f"the harness's node executor runs nodejs runtimes only, not {runtime or 'container images'}"
            )
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def validate_environment(cls) -> bool:
        try:
            subprocess.run([NODE, "--version"], check=True, capture_output=True)
            return True
        except (OSError, subprocess.CalledProcessError):
            LOG.warning("LAMBDA_RUNTIME_EXECUTOR=node needs Node.js: set RC_NODE or put node on PATH")
            return False
