"""No personal data in the logs of a full browser run (issue 13, item 7).

This file sorts last, so it runs after every other browser test on the same demo server: it reads
everything its server wrote (test-artifacts/browser-server*.log: runserver's request lines, Django's
logging, the console e-mail backend's output) and fails listing each line that holds a demo
petitioner's phone number (its digits in any grouping), e-mail address or full name. Before it
reads, it sends requests that carry such data in query strings, as a careless client or page would.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PEOPLE = (
    "import json; from rdec.petitions.models import Case; "
    "rows = Case.objects.exclude(petitioner_name='', petitioner_phone='', petitioner_email='')"
    ".values_list('petitioner_name', 'petitioner_phone', 'petitioner_email'); "
    "print(json.dumps(list(rows), ensure_ascii=False))"
)
# Digits with the separators people write between them.
_NUMBER = re.compile(r"[0-9０-９][0-9０-９ .\-()（）]{5,}[0-9０-９]")


def _digits(text: str) -> str:
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


def _petitioners(server) -> tuple[set[str], set[str], set[str]]:
    out = server.manage("shell", "-c", PEOPLE)
    rows = json.loads(out.strip().splitlines()[-1])
    names = {n.strip() for n, _p, _e in rows if n and len(n.strip()) >= 2}
    phones = {_digits(p) for _n, p, _e in rows if len(_digits(p or "")) >= 8}
    emails = {e.strip().lower() for _n, _p, e in rows if e}
    return names, phones, emails


def _leaks(line: str, names: set[str], phones: set[str], emails: set[str]) -> list[str]:
    found = [f"name {n}" for n in names if n in line]
    lowered = line.lower()
    found += [f"e-mail {e}" for e in emails if e in lowered]
    for match in _NUMBER.finditer(line):
        digits = _digits(match.group(0))
        found += [f"phone {p}" for p in phones if p in digits]
    return found


# one run per browser group (conftest.py): under xdist each group has its own demo server and log
@pytest.mark.parametrize("browser_group", ("browser-1", "browser-2"))
def test_no_log_line_of_the_run_holds_a_petitioners_phone_email_or_name(server, browser_group):
    names, phones, emails = _petitioners(server)
    assert names and phones and emails, "the demo has petitioners to look for"
    # a careless client puts personal data in URLs: the request lines must not keep it
    phone, email = sorted(phones)[0], sorted(emails)[0]
    for query in ({"q": phone}, {"petitioner_phone": phone, "email": email}):
        url = f"{server.url}/open311/v2/requests.json?{urllib.parse.urlencode(query)}"
        try:
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - our own server
        except urllib.error.HTTPError:
            pass
    text = server.log.read_text(encoding="utf-8", errors="replace")
    assert "/open311/v2/requests.json" in text, "the server's request lines are in the log"
    bad = []
    for number, line in enumerate(text.splitlines(), 1):
        leaks = _leaks(line, names, phones, emails)
        if leaks:
            bad.append(f"{server.log.name}:{number}: {', '.join(leaks)}: {line[:200]}")
    assert not bad, "personal data in the server's log:\n" + "\n".join(bad[:50])
