"""How every pod of the network runs: as a user other than root, under the runtime's
seccomp profile, in a container that cannot gain privileges, write its image or keep a
Linux capability. generate.py (the services) and sms_egress.py (the SMS proxy) both take it
from here, so a new workload cannot be written with less."""

from typing import Any

CONTAINER = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


def pod(uid: int, **more: Any) -> dict[str, Any]:
    """The pod's securityContext for a process running as `uid` (its group the same)."""
    return {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "seccompProfile": {"type": "RuntimeDefault"},
        **more,
    }
