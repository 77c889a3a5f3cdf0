"""Security scan of the rendered manifests (checkov, offline) with a documented allowlist."""
