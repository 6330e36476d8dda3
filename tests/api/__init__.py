"""Tests of the HTTP API, each through a real server on 127.0.0.1."""
