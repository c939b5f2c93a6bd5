from django.db import models


class DataKey(models.Model):
    """One person's AES-256 data key, wrapped by a key-encryption key (KEK).

    Lives in the keystore database, never in the main one: deleting this row is what makes a
    person's ciphertext unreadable everywhere, backups of the main database included.
    """

    person_id = models.UUIDField(primary_key=True)
    agency_id = models.UUIDField(db_index=True)
    kek_id = models.CharField(max_length=32)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # Which KEKs of the ring still wrap a key (``keyrotation.forget_status``, on every
            # admin's dashboard): a probe per KEK, not a read of every key. Migration 0006.
            models.Index(fields=["kek_id"], name="datakey_kek")
        ]


class BlindIndex(models.Model):
    """HMAC of one normalised name token or date of birth, scoped to the owning agency."""

    person_id = models.UUIDField(db_index=True)
    agency_id = models.UUIDField()
    kind = models.CharField(max_length=8)  # "name" | "dob"
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [
            # A name search (``crypto.blind_match_all``) starts from one term's entries and
            # looks up the others' for the same person: the person id is the last key, so each
            # lookup is one seek, and a read of the ids needs no heap (index-only). Migration
            # 0005 builds it (CONCURRENTLY on PostgreSQL).
            models.Index(
                fields=["agency_id", "kind", "digest", "person_id"],
                name="blindindex_agency_digest_pid",
            )
        ]


class Kek(models.Model):
    """When each key-encryption key (KEK) first wrapped a data key.

    Whatever a KEK ever wrapped may survive in the database's WAL, archives and file copies, so a
    forget is final only once every KEK that could have wrapped the forgotten key is destroyed.
    A KEK first used *after* a forget never saw that key: it may stay (``crypto.forget_status``).
    """

    kid = models.CharField(max_length=32, primary_key=True)
    first_used_at = models.DateTimeField()

    class Meta:
        ordering = ["first_used_at"]
