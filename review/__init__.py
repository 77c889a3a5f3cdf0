"""Change review: two renders of a stack → what changes, what is replaced, what is dangerous, how to upgrade."""
