#!/usr/bin/python3
"""A mail server nobody here wrote: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1, requiring
STARTTLS with the given certificate and AUTH as launchkit/mail-password over it. Every message is
kept as N.eml with N.json ({mail_from, rcpt_tos, tls, login}) in OUTDIR.

  smtp_receiver.py PORT CERT KEY OUTDIR      writes OUTDIR/ready once it listens
"""
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keeper:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "login": session.auth_data.login.decode() if session.auth_data else None}, f)
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login == b"launchkit" \
            and auth_data.password == b"mail-password":
        return AuthResult(success=True, auth_data=auth_data)
    return AuthResult(success=False, handled=False)


def main():
    port, cert, key, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(Keeper(folder), hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=authenticate,
                            auth_require_tls=True, auth_required=True)
    controller.start()
    with open(os.path.join(folder, "ready"), "w") as f:
        f.write(str(port))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
