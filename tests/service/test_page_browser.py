"""The try-it page in a real headless Chromium: it loads, submits a text (its ``?text=`` link), and
shows the entities in displaCy's entity style, their values and the redacted text; a screenshot is
saved (to ``$CALLNER_SCREENSHOT_DIR`` when set, for CI to keep)."""
import html
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .texts import CONTRACT_SURFACE, CONTRACT_TEXT, PHONE_SURFACE, PHONE_TEXT

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
BROWSER = next((found for found in map(shutil.which, BROWSERS) if found), None)
INSTALL = "apt-get install -y chromium-headless-shell fonts-noto-cjk"
MARK = re.compile(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>(\w+)</span>\s*</mark>', re.S)
pytestmark = pytest.mark.skipif(BROWSER is None, reason=f"no headless Chromium on PATH ({INSTALL})")


def browse(url: str, *args: str) -> subprocess.CompletedProcess:
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--virtual-time-budget=30000", *args, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def page_url(service) -> str:
    return f"{service.url}/?{urlencode({'text': f'{PHONE_TEXT} {CONTRACT_TEXT}', 'style': 'mask'})}"


def test_the_page_highlights_entities_and_shows_values_and_redaction(page_url):
    dom = browse(page_url, "--dump-dom").stdout
    assert '<body data-state="done">' in dom, dom[-2000:]
    marks = [(html.unescape(text), label) for text, label in MARK.findall(dom)]
    assert (PHONE_SURFACE, "PHONE") in marks and (CONTRACT_SURFACE, "CONTRACT") in marks
    assert 'background: #7aecec' in dom
    assert re.search(r'<tr class="entity-row" data-label="PHONE"><td>PHONE</td><td>010-2345-6789</td>.*?'
                     r'01023456789', dom)
    redacted = re.search(r'<pre id="redacted">(.*?)</pre>', dom, re.S).group(1)
    assert "010-****-6789" in redacted and PHONE_SURFACE not in redacted
    assert '"request_id"' in re.search(r'<pre id="json">(.*?)</pre>', dom, re.S).group(1)


def test_the_page_renders_to_a_screenshot(page_url, tmp_path):
    directory = Path(os.environ.get("CALLNER_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "service_page.png"
    browse(page_url, "--window-size=1200,1400", f"--screenshot={path}")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    print(f"screenshot: {path}")
