#!/usr/bin/python3
"""DSSE envelopes checked and made by securesystemslib (Debian's python3-securesystemslib), the
library in-toto's own tools sign with, against launchkit's `attest` and `attest verify`.

securesystemslib 0.26 (Debian 12) signs and verifies Ed25519 but has no DSSE module yet, so the
pre-authentication encoding is written out here from the DSSE specification (protocol.md):
PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.

  dsse_securesystemslib.py verify ENVELOPE MINISIGN_PUB   exit 0 when a signature verifies
  dsse_securesystemslib.py sign STATEMENT OUTPUT MINISIGN_PUB_OUT
        signs the statement with a new Ed25519 key; writes the envelope and the key's public half
        in minisign's format (what `release-manager attest verify --pubkey-file` reads)
"""
import base64
import json
import os
import sys

from securesystemslib import keys
from securesystemslib.signer import Signature, SSlibKey, SSlibSigner

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: str, body: bytes) -> bytes:
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def minisign_public_key(path: str) -> bytes:
    """The 32-byte Ed25519 key of a minisign .pub file ("Ed", 8-byte key id, key)."""
    with open(path) as f:
        line = [l for l in f.read().splitlines() if l and not l.startswith("untrusted comment")][0]
    raw = base64.b64decode(line)
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise SystemExit(f"{path}: not a minisign public key")
    return raw[10:]


def verify(envelope_path: str, public_key_path: str) -> int:
    with open(envelope_path) as f:
        envelope = json.load(f)
    if envelope["payloadType"] != PAYLOAD_TYPE:
        print(f"payloadType {envelope['payloadType']}", file=sys.stderr)
        return 1
    body = base64.b64decode(envelope["payload"])
    key = SSlibKey("0" * 64, "ed25519", "ed25519",
                   {"public": minisign_public_key(public_key_path).hex()})
    for signature in envelope["signatures"]:
        try:
            key.verify_signature(
                Signature("0" * 64, base64.b64decode(signature["sig"]).hex()), pae(PAYLOAD_TYPE, body))
        except Exception as error:  # securesystemslib's verification errors
            print(f"signature {signature.get('keyid')}: {error}", file=sys.stderr)
            continue
        statement = json.loads(body)
        print(json.dumps({"verified": True, "predicateType": statement["predicateType"],
                          "subjects": statement["subject"]}))
        return 0
    return 1


def sign(statement_path: str, output: str, public_out: str) -> int:
    key = keys.generate_ed25519_key()
    with open(statement_path, "rb") as f:
        body = f.read()
    signer = SSlibSigner(key)
    signature = signer.sign(pae(PAYLOAD_TYPE, body))
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(body).decode(),
        "signatures": [{"keyid": key["keyid"],
                        "sig": base64.b64encode(bytes.fromhex(signature.signature)).decode()}],
    }
    with open(output, "w") as f:
        json.dump(envelope, f)
    key_id = os.urandom(8)
    public = base64.b64encode(b"Ed" + key_id + bytes.fromhex(key["keyval"]["public"])).decode()
    with open(public_out, "w") as f:
        f.write(f"untrusted comment: securesystemslib key {key['keyid'][:16]}\n{public}\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 5 and sys.argv[1] == "sign":
        sys.exit(sign(sys.argv[2], sys.argv[3], sys.argv[4]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
