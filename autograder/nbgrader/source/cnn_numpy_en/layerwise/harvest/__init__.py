"""The harness that runs inside a submission's process: calls the six functions, keeps plain data."""
