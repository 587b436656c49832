"""Cache keys of fragments (core.caching)."""


def test_the_query_part_of_a_key_is_sorted_and_leaves_the_date_to_the_page(rf):
    from core.caching import query_part

    request = rf.get("/systems/?status=ics&as_at=2019-01-01&region=3&status=stp")
    assert query_part(request) == "region=3&status=ics&status=stp"
    assert query_part(rf.get("/systems/")) == ""
