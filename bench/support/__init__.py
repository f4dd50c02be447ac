"""Helpers for the benchmarks (not benchmarks themselves: bench/run.py runs bench/*.py only)."""
