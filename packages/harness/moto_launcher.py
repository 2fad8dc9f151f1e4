"""Starts moto server for the tests and the local default, with harness-only extensions.

Lives in the harness, never in the product: it reaches into moto 5.2.1's internals,
so it checks that version and refuses any other.

Patches (moto differs from AWS here; the product must see AWS's behaviour):
  - Lambda Invoke runs the function's own handler under Node.js (no Docker here), with
    AWS_ENDPOINT_URL pointing back at this moto, and writes what it logs to the
    function's CloudWatch Logs group, as Lambda does. RotateSecret's four calls go
    through it, so a rotation really happens. As on Lambda, each execution environment (a
    Node process, kept warm) serves one invocation at a time and logs to a stream of its
    own, each invocation's lines between START and END/REPORT lines; invocations at once
    get environments of their own (at most RC_LAMBDA_MAX_ENVIRONMENTS, 10, per function).
  - FilterLogEvents returns a group's events in time order across its streams, as AWS does
    (moto returns them stream after stream unless asked to interleave).
  - RotateSecret keeps RotationRules.ScheduleExpression and Duration (moto drops them).
  - RotateSecret refuses while AWSPENDING sits on a version other than AWSCURRENT, as
    AWS does (moto's check is reversed).
  - RotateSecret stops at the first step that fails, as AWS does: moto invokes all four
    steps whatever happens and then moves AWSCURRENT to the new version itself (and sets
    LastRotatedDate); here a failed step ends the rotation, the later steps are never
    invoked, AWSPENDING stays on the new version and AWSCURRENT where it was.
  - RotateSecret with RotateImmediately=false removes the version it tested, as AWS does.
  - GetSecretValue without a version or stage returns AWSCURRENT, as AWS does (after a
    RotateSecret that names a Lambda, moto returns the pending version, which may be empty).
  - An S3 request with ExpectedBucketOwner (x-amz-expected-bucket-owner) on a bucket that
    another account owns is refused with 403 AccessDenied, as AWS does (moto ignores the
    header and serves any account's bucket). moto already keeps bucket names global.
  - A bucket policy's Deny statement applies only when its conditions hold, as AWS does:
    moto evaluates StringEquals alone and ignores other operators, so a Deny with
    StringNotEquals or Bool conditions (the console's artifact bucket policy) denies every
    object request. Here StringEquals, StringNotEquals and Bool are evaluated against the
    requester's account (aws:PrincipalAccount) and aws:SecureTransport "true" (the emulator's
    HTTP stands in for AWS's HTTPS endpoint); other operators keep moto's behaviour.
  - With --roles-must-exist, sts:AssumeRole of a role that its account's IAM does not have is
    refused with AccessDenied, as AWS does (moto assumes any role ARN, so an account whose
    member role was never deployed looks reachable). Off by default: the tests name roles they
    never create; the local default turns it on and deploys its member accounts' roles.

  - Secrets Manager puts its events on the default event bus, as AWS does through CloudTrail
    (moto's Secrets Manager puts none): "AWS API Call via CloudTrail" for RotateSecret,
    CancelRotateSecret, UpdateSecretVersionStage, PutSecretValue and DeleteSecret (each call that
    succeeded, the secret in requestParameters.secretId as the caller named it, never a value), and
    "AWS Service Event via CloudTrail" RotationStarted, then RotationSucceeded or RotationFailed (the
    step that failed), for a rotation RotateSecret ran, the secret's ARN in
    additionalEventData.SecretId. Put through moto's own EventBridge backend in-process, so rules
    and their SQS targets receive them as they would on AWS.

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

import hashlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import queue  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
import zipfile  # noqa: E402

from moto.awslambda.models import LambdaFunction  # noqa: E402
from moto.logs.models import LogGroup  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.secretsmanager.exceptions import InvalidRequestException  # noqa: E402
from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend  # noqa: E402
from moto.moto_api._internal import urls as moto_api_urls  # noqa: E402
from moto.iam.access_control import IAMPolicyStatement, PermissionResult  # noqa: E402
from moto.iam.exceptions import NotFoundException  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.sts.exceptions import STSClientError  # noqa: E402
from moto.sts.models import STSBackend  # noqa: E402
from moto.utilities.utils import get_partition  # noqa: E402
from moto.s3.models import FakeBucket, s3_backends  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402
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

# --- Lambda Invoke under Node.js -------------------------------------------------

ENDPOINT = {"url": ""}  # set once the server listens
NODE = os.environ.get("RC_NODE", "node")
CODE_DIR = tempfile.mkdtemp(prefix="moto-lambda-")
# Execution environments one function (code and configuration) may have at once. Lambda starts one
# per concurrent invocation, up to the account's concurrency (10 on a new account); past this many,
# an invocation here waits for one to be free instead of being throttled.
MAX_ENVIRONMENTS = int(os.environ.get("RC_LAMBDA_MAX_ENVIRONMENTS", "10"))

# An execution environment's runtime: a Node process that imports the handler module once
# ("index.handler" -> index.mjs/.js, export handler), then runs one event per stdin line and ends
# each with a marker line. Its console output is the log.
WORKER = r"""
import { createInterface } from 'node:readline';
const [file, exportName] = process.argv.slice(1);
const mod = await import(file);
const handler = mod[exportName] ?? mod.default?.[exportName];
for await (const line of createInterface({ input: process.stdin })) {
  const { id, event } = JSON.parse(line);
  try {
    const result = await handler(event, { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, awsRequestId: id });
    process.stdout.write("\n@@RESULT " + id + " " + JSON.stringify(result ?? null) + "\n");
  } catch (error) {
    const failure = JSON.stringify({ errorType: error?.name ?? "Error", errorMessage: error?.message ?? String(error) });
    console.error(failure);
    process.stdout.write("\n@@ERROR " + id + " " + failure + "\n");
  }
}
"""

CODE_LOCK = threading.Lock()


def _now_ms():
    return int(time.time() * 1000)


def _code_dir(fn):
    digest = hashlib.sha256(fn.code_bytes).hexdigest()[:16]
    target = os.path.join(CODE_DIR, digest)
    # One extraction per code, in a folder of its own: concurrent first invocations of a new function
    # once all extracted into the same "<digest>.tmp", and the one whose folder another had just
    # renamed away failed (FileNotFoundError) with no log at all, so its rotation's watch waited.
    with CODE_LOCK:
        if not os.path.isdir(target):
            staging = tempfile.mkdtemp(prefix=digest + ".", dir=CODE_DIR)
            with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as archive:
                archive.extractall(staging)
            os.rename(staging, target)
    return target


def _handler_file(directory, handler):
    module, _, export = handler.rpartition(".")
    for ext in (".mjs", ".js", ".cjs"):
        candidate = os.path.join(directory, module + ext)
        if os.path.isfile(candidate):
            return candidate, export
    raise FileNotFoundError(f"handler module {module} not found in the function's code")


def _stream_name():
    """A log stream as Lambda names one execution environment's: date, version, environment id."""
    return time.strftime("%Y/%m/%d") + "/[$LATEST]" + uuid.uuid4().hex


# moto's CloudWatch Logs has no lock ("to be thread safe this would need a lock"): invocations write
# from their request threads while FilterLogEvents and DescribeLogStreams read the streams on others.
LOGS_LOCK = threading.RLock()


def _write_logs(fn, stream, events):
    """Puts (timestamp ms, line) events on `stream` of the function's log group, in order."""
    ordered, last = [], 0
    for timestamp, line in events:
        if line.strip():
            last = max(last, timestamp)  # PutLogEvents refuses events out of order
            ordered.append({"timestamp": last, "message": line})
    with LOGS_LOCK:
        logs = fn.logs_backend
        logs.ensure_log_group(fn.logs_group_name)
        logs.ensure_log_stream(fn.logs_group_name, stream)
        if ordered:
            logs.put_log_events(fn.logs_group_name, stream, ordered)


_original_filter_log_events = LogGroup.filter_log_events
_original_describe_log_streams = LogGroup.describe_log_streams


def filter_log_events(self, log_group_name, log_stream_names, start_time, end_time, limit, next_token, filter_pattern, interleaved=True):
    # AWS sorts the group's events by time across its streams whatever "interleaved" says (ignored since
    # 2019); moto gives them stream after stream, so a reader keeping the latest events would lose the
    # newest lines of an environment's stream that began before the others.
    with LOGS_LOCK:
        return _original_filter_log_events(self, log_group_name, log_stream_names, start_time, end_time, limit, next_token, filter_pattern, True)


def describe_log_streams(self, *args, **kwargs):
    with LOGS_LOCK:
        return _original_describe_log_streams(self, *args, **kwargs)


LogGroup.filter_log_events = filter_log_events
LogGroup.describe_log_streams = describe_log_streams


class WarmWorker:
    """One execution environment: a Node process serving one invocation at a time, as a Lambda
    environment does, reused while warm, logging to a stream of its own."""

    def __init__(self, handler_file, export, env):
        self.stream = _stream_name()
        self.lines = queue.Queue()  # (timestamp ms, line); None once the process ended
        self.dead = False
        self.proc = subprocess.Popen(
            [NODE, "--input-type=module", "-e", WORKER, handler_file, export],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, bufsize=1,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put((_now_ms(), line.rstrip("\n")))
        self.lines.put((_now_ms(), None))

    def alive(self):
        return not self.dead and self.proc.poll() is None

    def kill(self):
        self.dead = True
        self.proc.kill()

    def leftovers(self):
        """What the process printed after its last invocation's marker (a timer or callback its handler
        left running, or the import's output): printed before this invocation began, so never its own."""
        lines = []
        while True:
            try:
                timestamp, line = self.lines.get_nowait()
            except queue.Empty:
                return lines
            if line is None:
                self.lines.put((timestamp, None))  # the invocation then reads that the runtime exited
                return lines
            if line and not line.startswith(("@@RESULT ", "@@ERROR ")):
                lines.append((timestamp, line))

    def invoke(self, request_id, payload, timeout):
        """Returns (result_json, errored, log events, when it ended); kills the environment on a timeout, as Lambda does.
        It ended when the marker was printed: a line printed after it (a timer the handler left) comes after END."""
        exited = json.dumps({"errorType": "Runtime.ExitError", "errorMessage": "the runtime exited"})
        try:
            self.proc.stdin.write(json.dumps({"id": request_id, "event": json.loads(payload)}) + "\n")
            self.proc.stdin.flush()
        except OSError:  # it ended between invocations
            self.dead = True
            return exited, True, [], _now_ms()
        deadline = time.monotonic() + timeout
        logs = []
        while True:
            try:
                timestamp, line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                self.kill()
                message = f"Task timed out after {timeout:.2f} seconds"
                return json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": message}), True, logs + [(_now_ms(), message)], _now_ms()
            if line is None:
                self.dead = True
                return exited, True, logs, timestamp
            if line.startswith("@@RESULT " + request_id + " "):
                return line[len("@@RESULT " + request_id + " "):], False, logs, timestamp
            if line.startswith("@@ERROR " + request_id + " "):
                return line[len("@@ERROR " + request_id + " "):], True, logs, timestamp
            if line:
                logs.append((timestamp, line))


class Environments:
    """One function's execution environments. A busy one is never shared: an invocation takes an idle
    one (the most recently used, as Lambda prefers a warm one) or starts another, as Lambda scales out."""

    def __init__(self):
        self.idle = []
        self.count = 0  # idle, busy and starting
        self.changed = threading.Condition()

    def acquire(self, start):
        with self.changed:
            while True:
                while self.idle:
                    worker = self.idle.pop()
                    if worker.alive():
                        return worker
                    self.count -= 1
                if self.count < MAX_ENVIRONMENTS:
                    self.count += 1
                    break
                self.changed.wait()
        try:
            return start()
        except BaseException:
            self.release(None)
            raise

    def release(self, worker):
        with self.changed:
            if worker is not None and worker.alive():
                self.idle.append(worker)
            else:
                self.count -= 1  # timed out or exited: the next invocation gets a fresh environment
            self.changed.notify()


ENVIRONMENTS = {}
ENVIRONMENTS_LOCK = threading.Lock()


def _environments_for(fn):
    """The function's environments and how to start one; a new code or configuration gets new ones, as on Lambda."""
    handler_file, export = _handler_file(_code_dir(fn), fn.handler)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_REGION": fn.region,
        "AWS_DEFAULT_REGION": fn.region,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        **{k: str(v) for k, v in (fn.environment_vars or {}).items() if k != "NODE_EXTRA_CA_CERTS" or os.path.exists(str(v))},
        # The function talks to this moto, whatever endpoint its configuration names.
        "AWS_ENDPOINT_URL": ENDPOINT["url"],
        "SECRETS_MANAGER_ENDPOINT": ENDPOINT["url"],
    }
    key = (fn.function_arn, hashlib.sha256(fn.code_bytes).hexdigest(), json.dumps(env, sort_keys=True))
    with ENVIRONMENTS_LOCK:
        environments = ENVIRONMENTS.setdefault(key, Environments())
    return environments, lambda: WarmWorker(handler_file, export, env)


# The rotation RotateSecret is running on this thread (moto invokes the steps synchronously).
ROTATION = threading.local()


def invoke_with_node(self, event=None):
    rotation = getattr(ROTATION, "state", None)
    if rotation is not None and rotation["failed"]:
        # AWS invokes no further step after a failed one.
        rotation["skipped"] += 1
        return "null", False, ""
    result, errored, log = _invoke_with_node(self, event)
    if rotation is not None and errored:
        rotation["failed"] = True
    return result, errored, log


def _framed(fn, request_id, started, lines, ended):
    """An invocation's lines between Lambda's START, and END and REPORT lines."""
    return (
        [(started, f"START RequestId: {request_id} Version: $LATEST")]
        + lines
        + [
            (ended, f"END RequestId: {request_id}"),
            (ended, f"REPORT RequestId: {request_id}\tDuration: {ended - started:.2f} ms\tBilled Duration: {max(ended - started, 1)} ms\tMemory Size: {fn.memory_size} MB"),
        ]
    )


def _invoke_with_node(self, event=None):
    request_id = str(uuid.uuid4())
    payload = event if isinstance(event, str) else json.dumps(event or {})
    try:
        environments, start = _environments_for(self)
        worker = environments.acquire(start)
    except Exception as error:  # noqa: BLE001 - reported to the caller and logged as Lambda does
        body = json.dumps({"errorType": "Runtime.ImportModuleError", "errorMessage": str(error)})
        now = _now_ms()
        framed = _framed(self, request_id, now, [(now, body)], now)
        _write_logs(self, _stream_name(), framed)
        return body, True, "\n".join(line for _, line in framed)
    try:
        leftovers = worker.leftovers()
        started = _now_ms()
        result, errored, lines, ended = worker.invoke(request_id, payload, float(self.timeout or 30))
        framed = _framed(self, request_id, started, lines, ended)
        # The environment's stream: the last invocation's late lines after its END, then this one.
        _write_logs(self, worker.stream, leftovers + framed)
    finally:
        environments.release(worker)
    return result, errored, "\n".join(line for _, line in framed)


LambdaFunction._invoke_lambda = invoke_with_node

# --- RotateSecret as AWS documents it --------------------------------------------

_original_rotate = SecretsManagerBackend.rotate_secret


def rotate_secret(self, secret_id, client_request_token=None, rotation_lambda_arn=None, rotation_rules=None, rotate_immediately=True):
    if self._is_valid_identifier(secret_id):
        secret = self.secrets[secret_id]
        if isinstance(secret, FakeSecret):
            unfinished = [
                v for v in secret.versions.values()
                if "AWSPENDING" in v["version_stages"] and "AWSCURRENT" not in v["version_stages"]
            ]
            if unfinished and unfinished[0]["version_id"] != client_request_token:
                raise InvalidRequestException("A previous rotation isn't complete. That rotation will be reattempted.")
            # moto's own check refuses AWSPENDING on the AWSCURRENT version, which AWS accepts.
            for v in secret.versions.values():
                if "AWSPENDING" in v["version_stages"] and "AWSCURRENT" in v["version_stages"]:
                    v["version_stages"].remove("AWSPENDING")
    extra = {k: rotation_rules[k] for k in ("ScheduleExpression", "Duration") if rotation_rules and k in rotation_rules}
    if extra.get("ScheduleExpression") and self._is_valid_identifier(secret_id):
        # moto only turns rotation on for AutomaticallyAfterDays; the function checks it while it runs.
        self.secrets[secret_id].rotation_enabled = True
    secret = self.secrets[secret_id] if self._is_valid_identifier(secret_id) else None
    last_rotated = getattr(secret, "last_rotation_date", None)
    versions_before = set(secret.versions) if isinstance(secret, FakeSecret) else set()
    ROTATION.state = {"failed": False, "skipped": 0}
    try:
        result = _original_rotate(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules, rotate_immediately)
    finally:
        rotation, ROTATION.state = ROTATION.state, None
        ROTATION_OUTCOME.state = bool(rotation and rotation["failed"])
    secret = self.secrets[secret_id]
    if rotation["failed"]:
        # AWS records no rotation that did not finish.
        secret.last_rotation_date = last_rotated
        # moto answers with its default version, which it no longer moved (below): name the new one.
        new_version = client_request_token or next(iter(set(secret.versions) - versions_before), None)
        if new_version:
            result = secret.to_short_dict(version_id=new_version)
    if not rotate_immediately:
        # AWS runs testSecret on an AWSPENDING version "and then removes it"; moto leaves it.
        # Any AWSPENDING-only version is the tested one: an earlier unfinished one was refused above.
        for version_id in [v for v, version in secret.versions.items() if version["version_stages"] == ["AWSPENDING"]]:
            del secret.versions[version_id]
    if rotation_rules is not None:
        secret.harness_rotation_rules = extra
    if extra.get("ScheduleExpression"):
        secret.rotation_enabled = True
    return result


SecretsManagerBackend.rotate_secret = rotate_secret

# --- Secrets Manager's events on the default event bus, as CloudTrail puts them ------

from moto.events.models import events_backends  # noqa: E402
from moto.secretsmanager.responses import SecretsManagerResponse  # noqa: E402

# The service events of the rotation RotateSecret ran on this thread, put after the call's own event.
SERVICE_EVENTS = threading.local()


def _now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _put_secretsmanager_event(account_id, region, detail_type, detail):
    # The CloudTrail record's common fields, as AWS documents them.
    record = {
        "eventVersion": "1.08",
        "eventTime": _now_iso(),
        "eventSource": "secretsmanager.amazonaws.com",
        "awsRegion": region,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
        **detail,
    }
    try:
        events_backends[account_id][region].put_events(
            [{"Source": "aws.secretsmanager", "DetailType": detail_type, "Detail": json.dumps(record), "Resources": []}]
        )
    except Exception as error:  # noqa: BLE001 - an event that cannot be put never fails the call
        print(f"moto_launcher: could not put a Secrets Manager event: {error}", file=sys.stderr, flush=True)


def _service_event(backend, event_name, arn, extra=None):
    return {
        "userIdentity": {"accountId": backend.account_id, "invokedBy": "secretsmanager.amazonaws.com"},
        "eventName": event_name,
        "sourceIPAddress": "secretsmanager.amazonaws.com",
        "userAgent": "secretsmanager.amazonaws.com",
        "requestParameters": None,
        "responseElements": None,
        "additionalEventData": {"SecretId": arn, **(extra or {})},
        "eventType": "AwsServiceEvent",
    }


def _note_rotation(backend, secret_id, failed):
    secret = backend.secrets[secret_id] if backend._is_valid_identifier(secret_id) else None
    if secret is None:
        return
    pending = getattr(SERVICE_EVENTS, "events", None)
    if pending is None:
        return
    pending.append(_service_event(backend, "RotationStarted", secret.arn))
    pending.append(_service_event(backend, "RotationFailed" if failed else "RotationSucceeded", secret.arn))


_rotate_with_rules = SecretsManagerBackend.rotate_secret


def rotate_secret_with_events(self, secret_id, client_request_token=None, rotation_lambda_arn=None, rotation_rules=None, rotate_immediately=True):
    ROTATION_OUTCOME.state = None
    result = _rotate_with_rules(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules, rotate_immediately)
    secret = self.secrets[secret_id] if self._is_valid_identifier(secret_id) else None
    # A rotation ran when a function is set and it was asked to rotate now.
    if rotate_immediately and secret is not None and getattr(secret, "rotation_lambda_arn", None):
        _note_rotation(self, secret_id, bool(getattr(ROTATION_OUTCOME, "state", None)))
    return result


SecretsManagerBackend.rotate_secret = rotate_secret_with_events

# Whether the last rotation on this thread failed (set by invoke_with_node through ROTATION's state).
ROTATION_OUTCOME = threading.local()


def _api_call_event(response, event_name, extra_parameters=None):
    secret_id = response._get_param("SecretId")
    return {
        "userIdentity": {"type": "IAMUser", "accountId": response.current_account, "principalId": "AIDAEXAMPLE", "accessKeyId": "AKIAEXAMPLE"},
        "eventName": event_name,
        "sourceIPAddress": "127.0.0.1",
        "userAgent": response.headers.get("User-Agent", "moto") if hasattr(response, "headers") else "moto",
        # What CloudTrail keeps of the request: never a secret value.
        "requestParameters": {"secretId": secret_id, **(extra_parameters or {})},
        "responseElements": None,
        "eventType": "AwsApiCall",
    }


def _with_api_call_event(action, event_name, parameters=()):
    original = getattr(SecretsManagerResponse, action)

    def handled(self):
        SERVICE_EVENTS.events = []
        try:
            result = original(self)
            extra = {p[0].lower() + p[1:]: self._get_param(p) for p in parameters if self._get_param(p) is not None}
            _put_secretsmanager_event(self.current_account, self.region, "AWS API Call via CloudTrail", _api_call_event(self, event_name, extra))
            for detail in SERVICE_EVENTS.events:
                _put_secretsmanager_event(self.current_account, self.region, "AWS Service Event via CloudTrail", detail)
            return result
        finally:
            SERVICE_EVENTS.events = None

    setattr(SecretsManagerResponse, action, handled)


_with_api_call_event("rotate_secret", "RotateSecret", ("ClientRequestToken", "RotateImmediately"))
_with_api_call_event("cancel_rotate_secret", "CancelRotateSecret")
_with_api_call_event("update_secret_version_stage", "UpdateSecretVersionStage", ("VersionStage", "RemoveFromVersionId", "MoveToVersionId"))
_with_api_call_event("put_secret_value", "PutSecretValue", ("ClientRequestToken", "VersionStages"))
_with_api_call_event("delete_secret", "DeleteSecret", ("RecoveryWindowInDays", "ForceDeleteWithoutRecovery"))

_original_set_default_version_id = FakeSecret.set_default_version_id


def set_default_version_id(self, version_id):
    # After the four steps moto moves AWSCURRENT itself; AWS leaves that to finishSecret, and
    # after a failed step the labels stay as the function left them (AWSPENDING on the new version).
    rotation = getattr(ROTATION, "state", None)
    if rotation is not None and rotation["failed"]:
        return
    _original_set_default_version_id(self, version_id)


FakeSecret.set_default_version_id = set_default_version_id

_original_get_secret_value = SecretsManagerBackend.get_secret_value


def get_secret_value(self, secret_id, version_id=None, version_stage=None):
    if version_id is None and version_stage is None:
        version_stage = "AWSCURRENT"
    return _original_get_secret_value(self, secret_id, version_id, version_stage)


SecretsManagerBackend.get_secret_value = get_secret_value

_original_to_dict = FakeSecret.to_dict


def to_dict(self):
    dct = _original_to_dict(self)
    extra = getattr(self, "harness_rotation_rules", None)
    if extra and "RotationRules" in dct:
        dct["RotationRules"] = {**dct["RotationRules"], **extra}
        if not dct["RotationRules"].get("AutomaticallyAfterDays"):
            dct["RotationRules"].pop("AutomaticallyAfterDays", None)
    return dct


FakeSecret.to_dict = to_dict


# --- S3 ExpectedBucketOwner as AWS documents it ------------------------------------

ACCESS_DENIED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
)


S3_REQUEST = threading.local()  # the account making the S3 request this thread serves


def _refuse_other_owner(inner):
    """Wraps S3Response._bucket_response / _key_response: 403 when the bucket's owner is not the expected one."""

    def checked(self, request, full_url):
        S3_REQUEST.account = self.current_account
        expected = request.headers.get("x-amz-expected-bucket-owner")
        owner = s3_backends.bucket_accounts.get(self.parse_bucket_name_from_url(request, full_url) or "")
        if expected and owner and owner[1] != expected:
            return 403, {"content-type": "application/xml"}, "" if request.method == "HEAD" else ACCESS_DENIED
        return inner(self, request, full_url)

    return checked


S3Response._bucket_response = _refuse_other_owner(S3Response._bucket_response)
S3Response._key_response = _refuse_other_owner(S3Response._key_response)

# --- Bucket policy conditions as AWS evaluates them --------------------------------

CONDITION_TESTS = {
    "StringEquals": lambda wanted, actual: actual is not None and actual in wanted,
    # A negated operator holds when the key is absent, as AWS documents.
    "StringNotEquals": lambda wanted, actual: actual is None or actual not in wanted,
    "Bool": lambda wanted, actual: actual is not None and actual.lower() in [w.lower() for w in wanted],
}

_original_get_permission = FakeBucket.get_permission


def _as_list(value):
    return value if isinstance(value, list) else [value]


def get_permission(self, action, resource):
    if self.policy is None:
        return _original_get_permission(self, action, resource)
    statements = _as_list(json.loads(self.policy)["Statement"])
    operators = {op for st in statements for op in (st.get("Condition") or {})}
    if not operators <= CONDITION_TESTS.keys():
        return _original_get_permission(self, action, resource)
    context = {"aws:PrincipalAccount": getattr(S3_REQUEST, "account", DEFAULT_ACCOUNT_ID), "aws:SecureTransport": "true"}
    result = PermissionResult.NEUTRAL
    for statement in statements:
        plain = {k: v for k, v in statement.items() if k != "Condition"}
        verdict = IAMPolicyStatement(plain).is_action_permitted(action, resource)
        holds = all(
            CONDITION_TESTS[op](_as_list(wanted), context.get(key))
            for op, keys in (statement.get("Condition") or {}).items()
            for key, wanted in keys.items()
        )
        if verdict == PermissionResult.NEUTRAL or not holds:
            continue
        if verdict == PermissionResult.DENIED:
            return verdict
        result = verdict
    return result


FakeBucket.get_permission = get_permission


# --- sts:AssumeRole of a role that does not exist, as AWS answers it --------------------

ROLES_MUST_EXIST = {"on": False}
_original_assume_role = STSBackend.assume_role


def assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id):
    if ROLES_MUST_EXIST["on"]:
        parts = role_arn.split(":")
        account = parts[4] if len(parts) > 5 else ""
        try:
            iam_backends[account][get_partition(region_name)].get_role_by_arn(role_arn)
        except (NotFoundException, KeyError):
            raise STSClientError(
                "AccessDenied",
                f"User: arn:aws:iam::{self.account_id}:user/moto is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
            )
    return _original_assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id)


STSBackend.assume_role = assume_role


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--roles-must-exist", action="store_true", help="refuse sts:AssumeRole of a role IAM does not have, as AWS does")
    args = parser.parse_args()
    ROLES_MUST_EXIST["on"] = args.roles_must_exist

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    ENDPOINT["url"] = f"http://{host}:{port}"
    print(f"moto listening on http://{host}:{port}", flush=True)

    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    server.stop()


if __name__ == "__main__":
    main()
