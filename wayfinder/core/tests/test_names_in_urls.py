"""No survivor's name travels in an address: the browser fixture checks every request it makes.

Access logs, proxies and browser history keep addresses (and Referer headers). The ``page``
fixture records both for every request of every browser test and fails the test if a word of a
demo or persona survivor's name is in one; these tests prove the check hears a name.
"""

import pytest

from wayfinder.core.testing import names_in_urls


def test_a_name_in_an_address_is_found_whatever_its_accents_and_escapes():
    found = names_in_urls(
        [
            "http://x/people/?page=2",
            "http://x/api/v1/persons/?search=Luc%C3%ADa",
            "http://x/people/?q=RIVERA",
        ]
    )
    assert {token for token, _url in found} >= {"lucia", "rivera"}
    assert not names_in_urls(["http://x/people/7d9f0c1e-3b7a-4a8e-9f3c-0a1b2c3d4e5f/"])


@pytest.mark.browser
def test_the_page_fixture_hears_a_name_in_an_address(page, db):
    page.goto("/accounts/login/?next=/people/%3Fq%3DRivera")
    assert names_in_urls(page.addresses)
    page.addresses.clear()  # expected here; any other test fails on one
