"""The hostile-input suite runs with the same test setup as the modules' tests (reference data
loaded once per test database, fast hashing, zh-Hant, fresh per-process tables, personas)."""

from rdec.conftest import (  # noqa: F401 - fixtures re-exported for pytest
    _default_language,
    _fresh_tables,
    _test_settings,
    django_db_setup,
    personas,
)
