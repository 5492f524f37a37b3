"""The dossier's diagram in a real browser (issue 17, part 4): never drawn so small that its labels cannot be read,
scrolled inside its frame on a phone, zoomed with its buttons."""
import pytest

from tests.e2e.test_browser import browser, sign_in  # noqa: F401 (the module's Chromium, shared)
from tests.support.builders import to_commune

pytestmark = pytest.mark.browser


def zoom(page) -> float:
    return float(page.get_attribute("#diagram", "data-zoom"))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_diagram_opens_readable_and_zooms(browser, live_server, officials, new_uow, width):  # noqa: F811
    dossier_id, _ = to_commune(new_uow, officials)
    page = browser.new_page(viewport={"width": width, "height": 800})
    sign_in(page, live_server, officials.commune.username)
    page.goto(f"{live_server}/dossiers/{dossier_id}")
    page.wait_for_selector("#diagram[data-ready=true]", timeout=15000)
    opened = zoom(page)
    assert 0.8 <= opened <= 1
    frame = page.evaluate("() => { const d = document.getElementById('diagram');"
                          " return [d.scrollWidth, d.clientWidth, d.getBoundingClientRect().right]; }")
    if width == 390:
        assert frame[0] > frame[1]  # drawn wider than the frame, which scrolls...
        assert frame[2] <= 390  # ...and not wider than the screen itself
    page.click(".diagram-tools button:has-text('Phóng to')")
    assert zoom(page) == pytest.approx(opened * 1.25, abs=0.01)
    page.click(".diagram-tools button:has-text('Thu nhỏ')")
    page.click(".diagram-tools button:has-text('Thu nhỏ')")
    assert zoom(page) < opened
    page.click(".diagram-tools button:has-text('Vừa khung')")
    assert zoom(page) == opened
    page.close()
