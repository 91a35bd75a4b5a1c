"""Checking an AWS Signature Version 4 the way AWS does, for the emulators' `accept_keys`.

Only what boto3 sends to a JSON 1.1 service is covered: `POST /`, no query,
the signed headers listed in the Authorization header, a SHA-256 of the body.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<scope>[^,]+), SignedHeaders=(?P<signed>[^,]+), "
    r"Signature=(?P<sig>[0-9a-f]+)"
)


def sigv4_problem(headers: dict[str, str], body: bytes, keys: dict[str, str]) -> str | None:
    """None when the request is signed with a known key and its secret; else the error code AWS answers."""
    m = _AUTHORIZATION.match(headers.get("authorization", ""))
    if m is None:
        return "MissingAuthenticationTokenException"
    secret = keys.get(m["key"])
    if secret is None:
        return "UnrecognizedClientException"
    signed = m["signed"].split(";")
    canonical_headers = "".join(f"{h}:{' '.join(headers.get(h, '').split())}\n" for h in signed)
    canonical = "\n".join(["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()])
    scope = m["scope"]
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + secret).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, m["sig"]) else "InvalidSignatureException"
