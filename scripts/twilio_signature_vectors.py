#!/usr/bin/env python3
"""Writes tests/data/twilio_signatures.json: X-Twilio-Signature vectors computed by Twilio's own
helper library (PyPI `twilio`, RequestValidator), so our Rust implementation is checked against
Twilio's reading of the algorithm, not only ours.

    .venv/bin/pip install twilio && .venv/bin/python scripts/twilio_signature_vectors.py
"""
import json
import pathlib

from twilio.request_validator import RequestValidator

CASES = [
    ("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
     [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
      ("From", "+12349013030"), ("To", "+18005551212")],
     "https://mycompany.com:443/myapp.php?foo=1&bar=2"),
    ("secret-token", "https://frontdesk.example.com/twilio/voice",
     [("CallSid", "CAabc"), ("From", "+16175550123"), ("To", "+16175550100"),
      ("AccountSid", "AC123"), ("CallStatus", "ringing"), ("Direction", "inbound")],
     "https://frontdesk.example.com:443/twilio/voice"),
    ("t0k3n", "http://127.0.0.1:8080/twilio/voice", [("CallSid", "CA1"), ("From", "+1 (617) 555-0123")],
     "http://127.0.0.1/twilio/voice"),
    ("ünïcode-tøken", "https://example.org/twilio/voice", [("CallerName", "Zoë Ångström"), ("B", "2"), ("A", "1")],
     "https://example.org:443/twilio/voice"),
    ("empty", "https://example.org/twilio/voice", [], "https://example.org:8443/twilio/voice"),
]


def main():
    out = []
    for token, url, params, validate_url in CASES:
        v = RequestValidator(token)
        sig = v.compute_signature(url, dict(params))
        out.append({
            "token": token, "url": url, "params": params, "signature": sig,
            "validate_url": validate_url,
            "valid_for_validate_url": bool(v.validate(validate_url, dict(params), sig)),
        })
    path = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "twilio_signatures.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} vectors to {path}")


if __name__ == "__main__":
    main()
