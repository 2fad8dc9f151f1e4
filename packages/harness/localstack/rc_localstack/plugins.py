"""The entry points LocalStack loads (see pyproject.toml). Imports stay inside the functions so
that listing plugins costs nothing."""

from localstack.runtime import hooks
from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class NodeRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    name = "node"

    def load(self, *args, **kwargs):
        from rc_localstack.node_executor import NodeRuntimeExecutor

        return NodeRuntimeExecutor


@hooks.on_infra_start()
def apply_harness_patches():
    from rc_localstack import secretsmanager_parity

    secretsmanager_parity.apply()
