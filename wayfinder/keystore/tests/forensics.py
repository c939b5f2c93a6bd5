"""Look for a person's data key in raw database bytes, the way someone with a file copy would.

A wrapped data key is stored as nonce (12 bytes) + AES-GCM ciphertext (32) + tag (16), with no
marker around it, so the scan tries every 60-byte window of the bytes. A window is a hit when it
unwraps, under a given KEK, to the person's data key (the associated data binds the person id).
To keep this fast, each window's first ciphertext block is checked against one AES block
(GCM's first keystream block is AES(nonce || 2)); a window that passes is confirmed by a full unwrap.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

WRAPPED_LEN = 12 + 32 + 16
_MASK = b"\xff" * 12 + b"\x00" * 4
_CTR_ROW = b"\x00" * 12 + b"\x00\x00\x00\x02"  # GCM's first keystream counter


def _aad(person_id: uuid.UUID) -> bytes:
    return b"wayfinder:data-key:" + person_id.bytes


def unwrapping_windows(
    data: bytes, person_id: uuid.UUID, data_key: bytes, kek: bytes, rows: int = 1 << 16
) -> list[int]:
    """Offsets of every 60-byte window of ``data`` that ``kek`` unwraps to ``data_key``."""
    hits = []
    count = len(data) - WRAPPED_LEN + 1  # windows
    zero = b"\x00" * 16
    # Windows whose offsets are equal mod 16 have their nonces and first ciphertext blocks laid
    # out as consecutive 16-byte rows of the data, so each residue is a few whole-buffer steps.
    for r in range(16):
        total = (count - r + 15) // 16 if count > r else 0
        for k0 in range(0, total, rows):
            m = min(rows, total - k0)
            base = r + 16 * k0
            nonces = int.from_bytes(data[base : base + 16 * m])
            nonces = (nonces & int.from_bytes(_MASK * m)) | int.from_bytes(_CTR_ROW * m)
            # ECB here computes GCM counter blocks (one AES per window), not to encrypt data.
            enc = Cipher(algorithms.AES(kek), modes.ECB()).encryptor()  # noqa: S305
            stream = enc.update(nonces.to_bytes(16 * m))
            first_ct = int.from_bytes(data[base + 12 : base + 12 + 16 * m])
            # keystream XOR ciphertext XOR key is a zero row exactly where a window is a hit
            diff = (int.from_bytes(stream) ^ first_ct ^ int.from_bytes(data_key[:16] * m)).to_bytes(
                16 * m
            )
            pos = diff.find(zero)
            while pos != -1:
                i = base + pos
                if pos % 16 == 0 and _confirm(data[i : i + WRAPPED_LEN], person_id, data_key, kek):
                    hits.append(i)
                pos = diff.find(zero, pos + 1)
    return sorted(hits)


def _confirm(window: bytes, person_id: uuid.UUID, data_key: bytes, kek: bytes) -> bool:
    try:
        return AESGCM(kek).decrypt(window[:12], window[12:], _aad(person_id)) == data_key
    except InvalidTag:
        return False


def read_all(paths) -> dict[Path, bytes]:
    """Every file's bytes. Unreadable files fail the test: a scan that cannot read proves nothing."""
    return {Path(p): Path(p).read_bytes() for p in paths}


def offsets(data: bytes, needle: bytes) -> list[int]:
    found, i = [], data.find(needle)
    while i != -1:
        found.append(i)
        i = data.find(needle, i + 1)
    return found
