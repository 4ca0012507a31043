"""core geometry."""
