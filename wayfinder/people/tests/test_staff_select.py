"""The care team's staff <select> is built in Python: the same HTML as Django's templates."""

from django import forms

from wayfinder.people.forms import StaffSelect

CHOICES = [
    ("", "Choose a staff member"),
    ("Agency <One> & Co", [("a1", "Ana “Ann” O'Neil — Navigator"), ("a2", "Bo <b> — Supervisor")]),
    ("Second agency", [("b1", "Cy — Partner staff")]),
]


def _both(value, attrs=None):
    django_select = forms.Select(choices=CHOICES)
    ours = StaffSelect(choices=CHOICES)
    return (
        ours.render("member", value, attrs=attrs),
        django_select.render("member", value, attrs=attrs),
    )


def test_same_html_as_django_select():
    ours, django = _both(None, {"id": "id_member", "aria-describedby": "id_member_helptext"})
    assert ours == django
    assert "<optgroup" in ours


def test_same_html_with_a_chosen_member_and_an_error():
    attrs = {"id": "id_member", "required": True, "aria-invalid": "true", "disabled": False}
    ours, django = _both("a2", attrs)
    assert ours == django
    assert " selected" in ours


def test_same_html_through_the_form():
    class Plain(forms.Form):
        member = forms.ChoiceField(choices=CHOICES)

    class Fast(forms.Form):
        member = forms.ChoiceField(choices=CHOICES, widget=StaffSelect)

    for data in (None, {"member": "b1"}, {"member": "nope"}):
        plain, fast = Plain(data), Fast(data)
        if data:
            plain.is_valid(), fast.is_valid()
        assert str(fast["member"]) == str(plain["member"])
