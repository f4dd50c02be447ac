"""The LINE official account (LINE 官方帳號) notice sender: the LINE Messaging API's push, multicast and
broadcast messages (https://developers.line.biz/en/reference/messaging-api/#send-push-message).

`line_sender()` returns the sender named by the setting `RDEC_LINE_SENDER` (a dotted path):

- `RecordingLineSender` (the default) sends nothing: it records the exact request it would send —
  the endpoint and the JSON body (`{"to": "U…", "messages": [{"type": "text", "text": …}]}` for a
  push, `{"to": ["U…", …], …}` for a multicast, `{"messages": […]}` for a broadcast) — as a
  `Notice` row (channel "line", the body in `payload`), like the SMS sender's logging default;
- `HttpLineSender` posts it to `RDEC_LINE_API_URL` (default https://api.line.me) with the channel
  access token of `RDEC_LINE_CHANNEL_TOKEN` (`Authorization: Bearer …`), a `X-Line-Retry-Key` so a
  retried request is not sent twice, and records the same Notice with the HTTP status.

Where the LINE user ids come from: a LINE user id (U + 32 hex digits) is known only to a LINE login
or to the official account's webhook; the platform has neither yet (the citizen platform, issue 20,
brings the login). So the platform **announces** to the official account's friends with a broadcast
(new proposals open for support, 成案 and responses, consultations opened and their response reports:
rdec.participation.services.following), and tells the *followers* of a proposal or consultation by
e-mail. `push` and `multicast` are implemented and tested for the day user ids are linked.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("rdec.participation.line")

TEXT_LIMIT = 5000  # characters of one text message
MULTICAST_LIMIT = 500  # user ids of one multicast request
MESSAGES_LIMIT = 5  # message objects of one request


def text_messages(text: str) -> list[dict]:
    """One text message object (cut to LINE's 5,000 characters)."""
    text = str(text)
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1] + "…"
    return [{"type": "text", "text": text}]


class LineSender:
    """The interface: each method returns the list of Notice rows it recorded (one per request)."""

    def push(self, to: str, messages: list[dict], **notice) -> list:
        return [self._send("push", {"to": to, "messages": messages[:MESSAGES_LIMIT]}, notice)]

    def multicast(self, to: list[str], messages: list[dict], **notice) -> list:
        ids = list(dict.fromkeys(to))
        return [
            self._send(
                "multicast",
                {"to": ids[i : i + MULTICAST_LIMIT], "messages": messages[:MESSAGES_LIMIT]},
                notice,
            )
            for i in range(0, len(ids), MULTICAST_LIMIT)
        ]

    def broadcast(self, messages: list[dict], **notice) -> list:
        return [self._send("broadcast", {"messages": messages[:MESSAGES_LIMIT]}, notice)]

    def _send(self, endpoint: str, body: dict, notice: dict):
        raise NotImplementedError

    @staticmethod
    def _record(endpoint: str, body: dict, notice: dict, **extra):
        from rdec.participation.models import Notice

        text = "\n".join(m.get("text", "") for m in body["messages"])
        return Notice.objects.create(
            channel="line",
            recipient=notice.get("recipient"),
            proposal=notice.get("proposal"),
            consultation=notice.get("consultation"),
            subject=str(notice.get("subject") or text)[:200],
            body=text,
            payload={"endpoint": f"/v2/bot/message/{endpoint}", "body": body, **extra},
        )


class RecordingLineSender(LineSender):
    """Sends nothing; records the request body it would send (the default)."""

    def _send(self, endpoint: str, body: dict, notice: dict):
        return self._record(endpoint, body, notice, sent=False)


class HttpLineSender(LineSender):
    """Posts to the Messaging API with the channel access token."""

    timeout = 10

    def __init__(self, token: str | None = None, base_url: str | None = None, session=None):
        import requests

        self.token = token if token is not None else getattr(settings, "RDEC_LINE_CHANNEL_TOKEN", "")
        self.base_url = (
            base_url or getattr(settings, "RDEC_LINE_API_URL", "") or "https://api.line.me"
        ).rstrip("/")
        self.session = session or requests.Session()

    def _send(self, endpoint: str, body: dict, notice: dict):
        import requests

        if not self.token:
            raise RuntimeError("RDEC_LINE_CHANNEL_TOKEN is not set")
        retry_key = str(uuid.uuid4())
        status, error = None, ""
        try:
            response = self.session.post(
                f"{self.base_url}/v2/bot/message/{endpoint}",
                json=body,
                headers={"Authorization": f"Bearer {self.token}", "X-Line-Retry-Key": retry_key},
                timeout=self.timeout,
            )
            status = response.status_code
            if status >= 400:
                error = f"HTTP {status}"
        except requests.RequestException as exc:
            error = type(exc).__name__  # the type only: nothing of the message or the token
        if error:
            log.warning("LINE %s failed: %s", endpoint, error)
        return self._record(
            endpoint, body, notice, sent=not error, status=status, retry_key=retry_key, error=error
        )


def line_sender() -> LineSender:
    return import_string(
        getattr(settings, "RDEC_LINE_SENDER", "") or "rdec.participation.line.RecordingLineSender"
    )()
