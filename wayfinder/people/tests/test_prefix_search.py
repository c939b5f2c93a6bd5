"""Name search finds the beginning of a name ("Luc" finds Lucía), through blind indexes only."""

from datetime import date

from django.core.management import call_command

from wayfinder.accounts.actor import actor_for
from wayfinder.core.crypto import blind_digest
from wayfinder.keystore.models import BlindIndex
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity
from wayfinder.people.queries import search_persons


def _lucia(personas):
    return create_person(
        actor=personas.actor(personas.navigator_a),
        identity=Identity(
            chosen_name="Lucía", legal_name="Lucía Fernanda Gómez", date_of_birth=date(1994, 3, 8)
        ),
        birth_year=1994,
    )


def _found(actor, q):
    return {p.pk for p in search_persons(actor, q)[:50]}


def test_the_beginning_of_a_name_finds_the_person(personas):
    lucia = _lucia(personas)
    nav = personas.actor(personas.navigator_a)
    for q in ("Luc", "luci", "LUCÍA", "Lucia", "gom", "Gómez", "ferna", "luc gom", "Luc  Fer"):
        assert lucia.pk in _found(nav, q), q
    for q in ("ucía", "Lucas", "luc xyz", "gomezz", "mez"):
        assert lucia.pk not in _found(nav, q), q
    # Two letters are too few for a beginning: they must be a whole name.
    assert lucia.pk not in _found(nav, "Lu")
    assert personas.survivor.pk in _found(nav, "Ana")


def test_prefix_search_stays_inside_the_agency(personas):
    lucia = _lucia(personas)
    other = actor_for(personas.outsider_c, personas.housing, ip="127.0.0.1")
    assert lucia.pk not in _found(other, "Luc")
    assert _found(other, "Luc") == set()


def test_the_index_holds_only_digests(personas):
    lucia = _lucia(personas)
    rows = BlindIndex.objects.filter(person_id=lucia.pk)
    kinds = set(rows.values_list("kind", flat=True))
    assert kinds == {"name", "prefix", "dob"}
    for digest in rows.values_list("digest", flat=True):
        assert len(digest) == 64 and "luc" not in digest
    # lucia → luc, luci, lucia; fernanda → 6; gomez → 3 (3..n letters of each token)
    assert rows.filter(kind="prefix").count() == 3 + 6 + 3


def test_reindex_names_rebuilds_the_prefixes_of_existing_records(personas):
    lucia = _lucia(personas)
    nav = personas.actor(personas.navigator_a)
    BlindIndex.objects.filter(kind="prefix").delete()  # as before prefix search existed
    assert lucia.pk not in _found(nav, "Luc")
    call_command("reindex_names", verbosity=0)
    assert lucia.pk in _found(nav, "Luc") and personas.survivor.pk in _found(nav, "Riv")


def test_every_word_must_match_and_a_repeated_entry_counts_once(personas):
    """Each typed word is looked up as what it is (a whole two-letter name, else a beginning),
    and a person is found only when all of them match: an entry stored twice must not stand in
    for a word that is missing ("gom xyz" must not find Lucía)."""
    lucia = _lucia(personas)
    nav = personas.actor(personas.navigator_a)
    al = create_person(
        actor=nav,
        identity=Identity(chosen_name="Al Rivera", legal_name="Al Rivera"),
        birth_year=1990,
    )
    assert _found(nav, "al riv") == {al.pk}  # "al": a whole name; "riv": a beginning
    assert _found(nav, "al gom") == set()
    digest = blind_digest(lucia.owner_agency_id, "prefix", "gom")
    gom = BlindIndex.objects.get(person_id=lucia.pk, kind="prefix", digest=digest)
    gom.pk = None
    gom.save()  # the same entry twice, as a race of two edits could leave it
    assert lucia.pk in _found(nav, "gom") and lucia.pk in _found(nav, "gom luc")
    assert lucia.pk not in _found(nav, "gom xyz")
