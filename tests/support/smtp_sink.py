"""A real SMTP server (aiosmtpd) on loopback, for the tests.

Usage: smtp_sink.py PORT OUT

Every message it accepts is appended to OUT as one JSON line:
{"mail_from", "rcpt_tos", "subject", "message_id", "from", "to", "body"}, the body decoded
from whatever transfer encoding the sender chose. Prints "ready" once it listens, then serves
until it is killed.
"""

import email
import json
import sys
import threading
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"] or ""),
            "message_id": str(msg["message-id"] or ""),
            "from": str(msg["from"] or ""),
            "to": str(msg["to"] or ""),
            "body": part.get_content().replace("\r\n", "\n") if part is not None else "",
        }
        with self.lock, open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 Message accepted for delivery"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
