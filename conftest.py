import pytest


def pytest_collection_modifyitems(items):
    # Every database test may touch the keystore database (data keys, blind indexes).
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and {"db", "transactional_db"} & set(getattr(item, "fixturenames", ())):
            transactional = "transactional_db" in item.fixturenames
            item.add_marker(pytest.mark.django_db(transaction=transactional, databases="__all__"))
            continue
        if marker is not None and "databases" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, databases="__all__", **marker.kwargs),
                append=False,
            )


@pytest.fixture
def personas(db):
    from wayfinder.core.testing import make_personas

    return make_personas()
