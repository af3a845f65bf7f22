"""Privacy's use cases, one module per capability, behind the ports in `ports`."""
