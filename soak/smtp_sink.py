"""`make soak`'s SMTP sink: accepts every message and appends one JSON line per recipient to a
log (Message-ID, recipient, subject) before answering 250, so "delivered" means "in the log".
A set-password link in a message is also left in LINKS/<recipient> for the load's users.

    python smtp_sink.py PORT LOG LINKS
"""

import asyncio
import email
import email.policy
import json
import os
import re
import signal
import sys
import time

from aiosmtpd.controller import Controller

LINK = re.compile(r"(/password/reset/[A-Za-z0-9_\-]+)")


class Recorder:
    def __init__(self, log_path, links):
        self.log = open(log_path, "a", encoding="utf-8")
        self.links = links

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        for recipient in envelope.rcpt_tos:
            line = {
                "at": int(time.time() * 1000),
                "to": recipient.lower(),
                "subject": str(message.get("Subject", "")),
                "message_id": str(message.get("Message-ID", "")).strip(),
            }
            self.log.write(json.dumps(line) + "\n")
            match = LINK.search(text)
            if match and str(message.get("Subject", "")).startswith("Your login at"):
                path = os.path.join(self.links, recipient.lower())
                with open(path + ".tmp", "w", encoding="utf-8") as f:
                    f.write(match.group(1))
                os.replace(path + ".tmp", path)
        self.log.flush()
        os.fsync(self.log.fileno())
        return "250 OK"


def main():
    port, log_path, links = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(links, exist_ok=True)
    controller = Controller(Recorder(log_path, links), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
