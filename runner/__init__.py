"""Runs the platform program without a cloud: the mock-engine runner shared by tests and render."""
