"""The MDT meeting end to end, in Chromium, with three browser contexts (issue 12).

The chair (the person's navigator at Harbor Light) builds the agenda from the proposals; the
legal aid lawyer (a case-conferencing consent) and the housing navigator (none; this one reads
in Spanish) open the same item and see it differently; the chair records minutes and an action
item and accepts it into the person's plan; the next meeting of the series opens with it.

axe-core on every conference page visited (no violation of any impact); every context fails on a
Content-Security-Policy violation or a survivor's name in an address, as the ``page`` fixture does.
"""

import re
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.utils import timezone

from conftest import CSP_LISTENER, _only_local, assert_no_axe_violations, sign_in
from wayfinder.conferences import actions
from wayfinder.conferences.models import ActionItem, Meeting
from wayfinder.consent.tests.factories import consent
from wayfinder.core.testing import make_personas, names_in_urls
from wayfinder.plans import actions as plans
from wayfinder.plans.models import Step


class Context:
    """Another browser (another person at another desk), watched like the ``page`` fixture."""

    def __init__(self, browser, live_server, locale: str) -> None:
        self.context = browser.new_context(base_url=live_server.url, locale=locale)
        self.context.route("**/*", _only_local(live_server.url))
        self.violations: list = []
        self.addresses: list[str] = []
        self.context.expose_function("__wayfinderCspViolation", lambda v: self.violations.append(v))
        self.context.add_init_script(CSP_LISTENER)
        self.context.on("request", lambda r: self.addresses.append(r.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)

    def close(self) -> None:
        self.context.close()
        assert not self.violations, self.violations
        assert not names_in_urls(self.addresses)


def test_the_team_meets_decides_and_follows_up(
    page, browser, live_server, transactional_db, mfa_off
):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    code = personas.survivor.pseudonym
    # Her plan has a goal in her own words and a step that is now overdue: she needs the team.
    goal = plans.add_goal(personas.survivor, actor=nav, text="A safe home", domain="housing")
    step = plans.add_step(goal, actor=nav, text="Visit the shelter", assignee="person")
    Step.objects.filter(pk=step.pk).update(due_on=timezone.localdate() - timedelta(days=4))
    # Legal aid may discuss her identity and plan at case conferences; housing may not.
    consent(personas, personas.legal, ["identity", "plan"], purposes=("case_conferencing",))
    series = actions.create_series(
        actor=nav,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=datetime(2030, 1, 1, 15, 0, tzinfo=UTC),
        place="Room 2",
        attendees=[personas.lawyer_b, personas.outsider_c],
    )
    first = actions.schedule_next_meeting(series, actor=nav)

    # 1. The chair builds the agenda from the proposals.
    sign_in(page, personas.navigator_a)
    page.get_by_role("link", name="Meetings").click()
    page.wait_for_selector("h1:has-text('Meetings')")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Weekly case review").first.click()
    page.wait_for_selector("h2:has-text('Proposed for the agenda')")
    assert "1 plan step is overdue" in page.locator(".proposals").inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=f"Add {code} to the agenda").click()
    page.locator("ol.agenda").get_by_role("link", name=code).wait_for()
    assert "No one needs the team right now." in page.content()
    assert "Ana Rivera" not in page.content()  # the meeting page lists record codes only
    assert [r["code"] for r in first.items.get().reasons] == ["steps_overdue"]

    # 2. The consented and the unconsented attendee open the same item.
    lawyer = Context(browser, live_server, "en-US")
    sign_in(lawyer.page, personas.lawyer_b)
    lawyer.page.goto(f"/conferences/m/{first.pk}/")
    lawyer.page.locator("ol.agenda").get_by_role("link", name=code).click()
    lawyer.page.wait_for_selector("h2:has-text('What you may see')")
    html = lawyer.page.content()
    assert "Ana Rivera" in html and "Restricted" not in html
    assert sorted(re.findall(r'data-category="(\w+)"', html)) == ["identity", "plan"]
    assert "1 plan step is overdue" in html
    assert_no_axe_violations(lawyer.page)

    housing = Context(browser, live_server, "es-ES")  # this attendee reads in Spanish
    sign_in(housing.page, personas.outsider_c)
    housing.page.goto(f"/conferences/m/{first.pk}/")
    housing.page.wait_for_selector("h2:has-text('Orden del día')")
    assert housing.page.locator("html").get_attribute("lang") == "es"
    assert_no_axe_violations(housing.page)
    housing.page.locator("ol.agenda").get_by_role("link", name=code).click()
    housing.page.wait_for_selector("h1 .badge:has-text('Restringido')")
    main = housing.page.locator("main").inner_text()
    assert code in main and "Ana Rivera" not in housing.page.content()
    # No category, no reason, no minutes: nothing but the record code and the label.
    assert housing.page.locator("[data-category]").count() == 0
    assert housing.page.locator("main h2").count() == 0
    assert_no_axe_violations(housing.page)

    # 3. The chair records minutes and an action item for legal aid.
    page.locator("ol.agenda").get_by_role("link", name=code).click()
    page.wait_for_selector("h2:has-text('Record minutes')")
    assert_no_axe_violations(page)
    page.locator("#id_text").fill("Housing first; legal aid to ask for a court date.")
    page.get_by_role("button", name="Save minutes").click()
    page.wait_for_selector("text=Housing first; legal aid to ask for a court date.")
    due = timezone.localdate() + timedelta(days=10)
    page.locator("#id_a-text").fill("Ask the court for a hearing date")
    page.locator("#id_a-due_on").fill(due.isoformat())
    page.locator("#id_a-owner_agency").select_option(label=personas.legal.name)
    page.get_by_role("button", name="Add the action item").click()
    page.locator(".action-items .action-text", has_text="Ask the court").wait_for()
    assert_no_axe_violations(page)

    # The lawyer, consented for the plan, reads the action item on reload; the minutes are
    # "notes", a category her consent does not name.
    lawyer.page.reload()
    lawyer.page.wait_for_selector("text=Ask the court for a hearing date")
    assert "Housing first" not in lawyer.page.content()
    assert lawyer.page.get_by_role("button", name="Add to the plan").count() == 0
    lawyer.close()
    housing.page.reload()
    housing.page.wait_for_selector("h1 .badge:has-text('Restringido')")
    assert "Ask the court" not in housing.page.content()
    assert "Housing first" not in housing.page.content()
    housing.close()

    # 4. The navigator accepts the action item into her plan, under her goal.
    page.get_by_label("Goal for the step").select_option(label="Housing: A safe home")
    page.get_by_role("button", name="Add to the plan").click()
    page.get_by_role("link", name="In the plan").wait_for()
    action = ActionItem.objects.get()
    assert action.step_id is not None
    assert_no_axe_violations(page)
    page.get_by_role("link", name="In the plan").click()
    page.wait_for_url(re.compile(r"/plans/person/"))
    steps = page.locator(f"#goal-{goal.pk}").locator("xpath=..").locator("ul.steps")
    assert "Ask the court for a hearing date" in steps.inner_text()
    assert personas.legal.name in steps.inner_text()
    page.go_back()
    page.wait_for_selector("h2:has-text('Outcome')")
    page.locator("#id_outcome").select_option("discussed")
    page.get_by_role("button", name="Save the outcome").click()
    page.wait_for_selector("text=Outcome: Discussed")

    # 5. The next meeting of the series opens with the action item and where it stands.
    page.get_by_role("link", name="Back to the agenda").click()
    page.wait_for_selector("h2:has-text('Agenda')")
    page.get_by_role("button", name="Close the meeting").click()
    page.wait_for_selector(".badge:has-text('Closed')")
    page.get_by_role("button", name="Schedule the next meeting").click()
    page.wait_for_selector("h2:has-text('Open action items from the last meeting')")
    second = Meeting.objects.exclude(pk=first.pk).get()
    assert page.url.endswith(f"/conferences/m/{second.pk}/")
    carried = page.locator(".carried-actions").inner_text()
    assert code in carried and personas.legal.name in carried and "In the plan" in carried
    assert_no_axe_violations(page)


def test_a_conference_task_on_the_owner_agency_dashboard(
    page, live_server, transactional_db, mfa_off
):
    """An action item not taken into a plan: on the housing navigator's dashboard, record code
    and "Restricted" only (no consent), overdue marked, and done with one button."""
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    series = actions.create_series(
        actor=nav,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=datetime(2030, 1, 1, 15, 0, tzinfo=UTC),
        place="Room 2",
        attendees=[personas.outsider_c],
    )
    meeting = actions.schedule_next_meeting(series, actor=nav)
    item = actions.add_item(meeting, actor=nav, person=personas.survivor)
    task = actions.add_action_item(
        item,
        actor=nav,
        text="Hold a room for her",
        due_on=timezone.localdate(),
        owner_agency=personas.housing,
    )
    ActionItem.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))

    sign_in(page, personas.outsider_c)
    panel = page.locator("table.conference-tasks")
    panel.wait_for()
    row = panel.locator("tbody tr")
    assert personas.survivor.pseudonym in row.inner_text()
    assert "Restricted" in row.inner_text() and "Overdue" in row.inner_text()
    assert "Hold a room" not in page.content() and "Ana Rivera" not in page.content()
    assert_no_axe_violations(page)
    row.get_by_role("button", name="Done").click()
    page.wait_for_selector("text=The task is marked done.")
    assert page.locator("table.conference-tasks").count() == 0
    task.refresh_from_db()
    assert task.status == "done"
