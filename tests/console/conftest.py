from tests.portal.conftest import north_norfolk  # noqa: F401  (the same current council)
