"""Small hand-computed cases that several test modules check, so that no test module imports
another."""
