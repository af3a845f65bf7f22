"""The service kit: how every Entraide service runs its broker, its probes and its logs.

It lives beside the contracts because it is the one way the services speak them:
at-least-once consumption, retry then dead-letter with the reason, the same probes.
"""
