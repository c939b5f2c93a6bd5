from django.db import models


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail. Never holds personal data.

    ``hash`` = SHA-256 over the canonical form of this row and ``prev_hash``; ``seq`` has no
    gaps. An edited row breaks its own hash, a deleted row breaks the sequence and the link.
    A database trigger refuses UPDATE and DELETE on this table.
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)  # accounts.User id; no FK so users can be deleted
    agency_id = models.UUIDField(null=True)
    action = models.CharField(max_length=64)
    category = models.CharField(max_length=32)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_pseudonym = models.CharField(max_length=16, blank=True, db_index=True)
    categories = models.JSONField(default=list)
    detail = models.JSONField(default=dict)
    ip = models.GenericIPAddressField(null=True)
    via = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_id", "at"]),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """A single row holding the chain's tip; locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        ordering = ["id"]


class AuditCheckpoint(models.Model):
    """The chain's head (``seq``, ``hash``) at ``at``, signed with the Ed25519 audit signing key.

    The key lives outside the database, so someone who can rewrite the event table (and recompute
    every hash) cannot make a checkpoint that vouches for the rewrite. Append-only like the events;
    each one is also written to the operator's witness (a file or the log). See
    ``wayfinder.audit.checkpoints``.
    """

    n = models.BigIntegerField(primary_key=True)  # 1, 2, 3 … with no gaps; part of what is signed
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    kid = models.CharField(max_length=16)  # key id: first 16 hex of SHA-256 of the public key
    signature = models.CharField(max_length=88)  # base64 of the 64-byte Ed25519 signature

    class Meta:
        ordering = ["n"]

    def __str__(self):
        return f"checkpoint #{self.n} at event #{self.seq}"
