"""The browser fixture fails a test on any Content-Security-Policy violation: prove it hears one."""

import pytest


@pytest.mark.browser
def test_the_page_fixture_hears_a_csp_violation(page, db):
    page.goto("/accounts/login/")
    # What an injected inline script or handler would do: the policy blocks it and says so.
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.__ran = true";
            document.head.appendChild(s);
        }"""
    )
    page.wait_for_function("() => (window.__cspViolations || []).length > 0")
    assert page.evaluate("() => window.__ran") is None  # it did not run
    page.wait_for_timeout(200)  # the report reaches the fixture
    assert [v["directive"] for v in page.csp_violations] == ["script-src-elem"]
    page.csp_violations.clear()  # expected here; any other test fails on one


@pytest.mark.browser
def test_htmx_loads_without_injecting_styles(page, db):
    page.goto("/accounts/login/")
    assert page.evaluate("() => typeof htmx") == "object"
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => htmx.config.allowEval") is False


@pytest.fixture
def signed_in(page, transactional_db, settings):
    from django.core.cache import cache
    from django.core.management import call_command

    from wayfinder.core.testing import PASSWORD, make_personas

    call_command("createcachetable", verbosity=0)
    cache.clear()  # login throttling counters from earlier browser tests
    settings.WAYFINDER_REQUIRE_MFA = False
    personas = make_personas()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(personas.navigator_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return personas


@pytest.mark.browser
def test_print_buttons_work_without_inline_handlers(page, signed_in):
    from django.urls import reverse

    page.goto(reverse("plans:print", args=[signed_in.survivor.pk]))
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    # The printed plan is in the person's language (Spanish here): "Imprimir".
    page.get_by_role("button", name="Imprimir").click()
    assert page.evaluate("() => window.__printed") is True


@pytest.mark.browser
def test_care_team_status_takes_focus_after_the_htmx_swap(page, signed_in):
    from django.urls import reverse

    page.goto(reverse("person_detail", args=[signed_in.survivor.pk]))
    # The form is fetched when asked for; from the keyboard, focus lands on its staff list.
    page.get_by_role("link", name="Add someone to the care team").focus()
    page.keyboard.press("Enter")
    form = page.locator("#care-team form.card")
    select = form.get_by_label("Staff member")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'id_member'"
    )
    values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    select.select_option(values[0])
    form.get_by_role("button", name="Add to care team").click()
    page.wait_for_selector("#care-team .message-success")
    page.wait_for_function(
        "() => document.activeElement"
        " && document.activeElement.matches('#care-team .message-success[data-autofocus]')"
    )
