"""Where LocalStack 2026.3.0's Secrets Manager differs from AWS, the harness makes it follow AWS
(the product must see AWS's behaviour; e2e/specs/localstack-differences.spec.ts names each one):

  - RotateSecret keeps RotationRules.ScheduleExpression and Duration, and a schedule expression
    turns rotation on (LocalStack keeps AutomaticallyAfterDays alone: with a schedule expression
    DescribeSecret showed no rotation at all).
  - RotateSecret with RotateImmediately=false turns rotation on and answers 200 (LocalStack
    answers 500: it returns a version id it never made), without touching LastRotatedDate.
  - RotateSecret with the ClientRequestToken of a version that exists and is not pending starts
    no new rotation (the token is an idempotency token). LocalStack runs the four steps before it
    answers, where AWS answers at once, so a client that timed out and retried with the same
    token made LocalStack overwrite the finished version with an empty AWSPENDING one.

And one harness extension, which real AWS does not have (as the moto launcher has its own):

  POST /_localstack_harness/rotation-dates  {"secretId", "region"?, "lastRotatedDate"?, "nextRotationDate"?}
      Sets a secret's LastRotatedDate / NextRotationDate (epoch seconds), which no AWS API can
      set: the demo account needs secrets whose rotation is overdue.

Reaches into LocalStack's internals (its patched moto backend), so it checks the version.
"""

import json
import logging

LOG = logging.getLogger(__name__)
REQUIRED_LOCALSTACK = "2026.3.0"
ROTATION_DATES_PATH = "/_localstack_harness/rotation-dates"


def apply():
    from importlib.metadata import version

    localstack_version = version("localstack-core")

    if localstack_version != REQUIRED_LOCALSTACK:
        raise RuntimeError(f"rc_localstack's patches need LocalStack {REQUIRED_LOCALSTACK}, found {localstack_version}")

    # LocalStack patches moto when its provider module is imported; ours go on top of its.
    import localstack.services.secretsmanager.provider  # noqa: F401
    from localstack.http import Response, route
    from localstack.services.edge import ROUTER
    from localstack.utils.patch import patch
    from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend, secretsmanager_backends

    @patch(SecretsManagerBackend.rotate_secret)
    def rotate_secret(fn, self, secret_id, client_request_token=None, rotation_lambda_arn=None, rotation_rules=None, rotate_immediately=True):
        secret = self.secrets[secret_id] if secret_id in self.secrets else None
        last_rotated = secret.last_rotation_date if secret else None
        done = secret.versions.get(client_request_token) if secret and client_request_token else None
        if done is not None and "AWSPENDING" not in done["version_stages"]:
            return secret.to_short_dict(version_id=client_request_token)
        try:
            result = fn(self, secret_id, client_request_token, rotation_lambda_arn, rotation_rules, rotate_immediately)
        except UnboundLocalError:
            if rotate_immediately or secret is None:
                raise
            # LocalStack configured the rotation, then failed to name the version it never made.
            secret.last_rotation_date = last_rotated
            result = secret.to_short_dict(include_version_id=False)
        secret = self.secrets[secret_id]
        extra = {k: rotation_rules[k] for k in ("ScheduleExpression", "Duration") if rotation_rules and k in rotation_rules}
        if rotation_rules is not None:
            secret.harness_rotation_rules = extra
        if extra.get("ScheduleExpression"):
            # Without these, DescribeSecret leaves out RotationEnabled, RotationLambdaARN and RotationRules.
            secret.rotation_enabled = True
            secret.rotation_requested = True
        return result

    @patch(FakeSecret.to_dict)
    def to_dict(fn, self):
        dct = fn(self)
        extra = getattr(self, "harness_rotation_rules", None)
        if extra:
            rules = {**dct.get("RotationRules", {}), **extra}
            if not rules.get("AutomaticallyAfterDays"):
                rules.pop("AutomaticallyAfterDays", None)
            dct["RotationRules"] = rules
            if self.rotation_enabled:
                dct["RotationEnabled"] = True
        return dct

    class HarnessRoutes:
        @route(ROTATION_DATES_PATH, methods=["POST"])
        def rotation_dates(self, request):
            try:
                body = json.loads(request.data or b"{}")
                backend = secretsmanager_backends[body.get("accountId", "000000000000")][body.get("region", "us-east-1")]
                secret = backend.secrets[body["secretId"]]
            except (KeyError, ValueError) as error:
                return Response(json.dumps({"error": f"no such secret: {error}"}), status=404, mimetype="application/json")
            if "lastRotatedDate" in body:
                secret.last_rotation_date = int(body["lastRotatedDate"])
            if "nextRotationDate" in body:
                secret.next_rotation_date = int(body["nextRotationDate"])
            return Response(json.dumps({"status": "ok"}), status=200, mimetype="application/json")

    ROUTER.add(HarnessRoutes())
    LOG.info("rc_localstack: Secrets Manager parity patches and %s in place", ROTATION_DATES_PATH)
