"""`make bench`: how fast the render and the test suite are (medians, not timed tests)."""
