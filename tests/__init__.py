import pytest

# browser_texts holds assertion helpers shared by the browser tests; pytest rewrites the
# asserts of test modules and conftest only, so without this a failing helper assert
# would report a bare AssertionError instead of the values compared.
pytest.register_assert_rewrite("tests.browser_texts")
