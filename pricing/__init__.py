"""Prices and the monthly cost estimate: the shipped price table (prices.json, `make prices`), the cost
model over a plan's resources, and its text for the render and the review."""
