"""Hostile values posted to the second half of the forms (see test_hostile_input.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_hostile_input import HOSTILE, SECOND_HALF, post_hostile_value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field_index=st.integers(min_value=0, max_value=50), value=HOSTILE)
def test_hostile_values_in_any_field_of_the_other_forms_get_a_message_not_a_crash(client, world, field_index, value):
    post_hostile_value(client, world, SECOND_HALF, field_index, value)
