"""Plain helpers that tests in several folders import: neither tests nor conftests.

Fixtures live in the conftests and reach tests through pytest; what a test
calls by name (a clock instant, a step through the services, the outbox) lives
here, so that no test module imports another test module or a conftest."""
