"""What the browser tests check on every page they walk: nothing makes the page scroll sideways, axe-core finds no
serious or critical WCAG 2 A/AA violation, a phone's tap targets are big enough; and the screenshot kept of it."""
import os
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENS = Path(os.environ.get("SCREENSHOTS", Path(__file__).parents[2] / "reports" / "screens"))
PHONE_WIDTH = 600  # up to this width app.css lays pages out for a phone
TAP = 44  # CSS px, each way: WCAG 2.5.5's size for a target a thumb hits
HEADER = 56  # CSS px: a phone's header, its menu closed, leaves the screen to the page

# The outermost elements reaching past the window's right edge, except those inside a box that scrolls or clips
# them (a wide table in its own scroller): what gives the page itself a sideways scroll.
_OVERFLOWING = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= innerWidth) return [];
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== "visible") return true;
    return false;
  };
  const shown = [...document.body.querySelectorAll("*")].filter((e) => !clipped(e));
  const reach = (e) => Math.max(e.getBoundingClientRect().right, e.getBoundingClientRect().left + e.scrollWidth);
  const past = new Set(shown.filter((e) => e.getBoundingClientRect().right > innerWidth + 1));
  // Text wider than its box (a long word) widens the page, not the box: the box's scroll width shows it.
  const text = shown.filter((e) => !past.has(e) && reach(e) > innerWidth + 1
                              && getComputedStyle(e).overflowX === "visible"
                              && ![...e.children].some((child) => reach(child) > innerWidth + 1));
  return [`the page is ${root.scrollWidth} px wide in a window of ${innerWidth}`,
          ...[...past].filter((e) => !past.has(e.parentElement)).concat(text).slice(0, 10)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} reaching ${
              Math.round(reach(e))} px: ${e.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)}`)];
}"""

# Buttons, controls, menu links, links standing alone (all their block says) and the labels of checkboxes and radios
# (a tap on the label ticks the box): each shown one smaller than TAP either way. A link inside a sentence is not a
# target of its own (WCAG 2.5.5's exception).
_SMALL_TARGETS = """(tap) => [...document.querySelectorAll(
    "button, select, summary, input:not([type=hidden], [type=checkbox], [type=radio]), header a, nav a, td a, "
    + "main a, label:has(> input[type=checkbox], > input[type=radio])")]
  .filter((e) => e.tagName !== "A" || !e.closest("main") || e.closest("td, nav")
                 || e.parentElement.textContent.trim() === e.textContent.trim() || e.parentElement.matches("form"))
  .map((e) => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.width > 0 && (box.width < tap - 0.5 || box.height < tap - 0.5))
  .map(([e, box]) => `${e.tagName.toLowerCase()} "${(e.textContent || e.name || "").trim().slice(0, 40)}" ${
    Math.round(box.width)}×${Math.round(box.height)}`)"""

_AXE_RUN = """() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
                                     resultTypes: ["violations"]})"""


def overflowing(page) -> list[str]:
    """Why the page scrolls sideways, what reaches past the window's right edge first; empty when it does not."""
    return page.evaluate(_OVERFLOWING)


def small_targets(page) -> list[str]:
    """The tap targets shown smaller than 44×44 CSS px."""
    return page.evaluate(_SMALL_TARGETS, TAP)


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2 A/AA violations on the page: each rule with the nodes it found."""
    if not page.evaluate("typeof axe === 'object'"):
        # Evaluated over the DevTools protocol: the page's policy (no inline script) would refuse a <script> tag.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(_AXE_RUN)["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(f"{' '.join(map(str, n['target']))} {n['failureSummary']!r}" for n in v["nodes"][:5])
            for v in found if v["impact"] in ("serious", "critical")]


def check_page(page, name: str) -> None:
    """Keep a screenshot of the page (reports/screens/NAME-WIDTH.png) and fail on what a phone or axe-core finds."""
    width = page.viewport_size["width"]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    found = {"sideways scroll": overflowing(page), "axe-core": axe_violations(page)}
    if width <= PHONE_WIDTH:
        found["tap targets under 44×44"] = small_targets(page)
        header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
        menu_open = page.locator("header button.menu[aria-expanded=true]").count()
        found["header taller than 56 px"] = [f"{header:.0f} px"] if header > HEADER and not menu_open else []
    problems = {check: items for check, items in found.items() if items}
    assert not problems, f"{name} at {width} px ({page.url}): {problems}"
