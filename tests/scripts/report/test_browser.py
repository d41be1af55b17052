"""test_browser.py - the HTML report as a reader sees it.  The report of
the committed results (results/bench.csv, plots, claim charts,
findings.json, table.md; the headline figure when results/plots/ has one)
is written into build/, never over results/report.html, and opened by
Debian's chromium through chromium-driver and python3-selenium (headless,
offline, as root: --no-sandbox) on a phone's screen, 390 x 844, and a
laptop's, 1280 x 800.  At both widths: nothing scrolls sideways (a wide
table scrolls inside its own box), every image has loaded, the verdict
matrix lies inside the first screen, no two texts of its cells overlap,
and the seed's Chinese words are drawn with a Chinese font; at 1280 the
headline figure, when the report has one, lies inside the first screen
too.  Screenshots: build/report-390.png and build/report-1280.png.

Where the browser cannot start, every test fails with one line naming
what is missing (scripts/deps.sh installs it); none is skipped."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.path.join(ROOT, os.environ.get("B") or "build")
SCREENS = ((390, 844), (1280, 800))
CJK_FONTS = ("Noto Sans CJK", "WenQuanYi", "Source Han Sans", "Microsoft YaHei", "PingFang")

# What the page is measured by, at scroll 0 (one call per width).
MEASURE = """
const rect = e => { const r = e.getBoundingClientRect();
                    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
const matrix = document.querySelector("table.matrix");
const headline = document.querySelector("figure.headline img");
return {
  width: window.innerWidth, height: window.innerHeight,
  scrollWidth: document.documentElement.scrollWidth,
  images: Array.from(document.images, i => ({alt: i.alt.slice(0, 60), complete: i.complete,
                                            naturalWidth: i.naturalWidth})),
  matrix: matrix && rect(matrix),
  headline: headline && rect(headline),
  texts: Array.from(document.querySelectorAll("table.matrix td .t, table.matrix th .t"),
                    e => Object.assign(rect(e), {text: e.textContent})),
};
"""


class Missing(Exception):
    """The browser cannot start: one line naming what is missing."""


CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0")
START_S = 30    # how long chromium may take to open its DevTools port


def launch_chromium(chromium, profile):
    """chromium started here, its DevTools on 127.0.0.1 (a port it chose and
    wrote into the profile): chromedriver attaches to that address, so
    nothing needs the name "localhost" (a chroot may have no /etc/hosts).
    Returns (process, port)."""
    os.makedirs(profile, exist_ok=True)
    # its singleton socket directory goes beside the profile, removed with it
    tmpdir = os.path.join(os.path.dirname(profile), "chromium-tmp")
    os.makedirs(tmpdir, exist_ok=True)
    proc = subprocess.Popen([chromium, *CHROMIUM_ARGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=dict(os.environ, TMPDIR=tmpdir))
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + START_S
    while True:
        try:
            with open(port_file) as f:
                port = int(f.readline())
            return proc, port
        except (OSError, ValueError):
            pass
        if proc.poll() is not None:
            raise Missing(f"chromium exited with status {proc.returncode} before opening its "
                          "DevTools port")
        if time.monotonic() > deadline:
            stop_chromium(proc)
            raise Missing(f"chromium opened no DevTools port in {START_S} s")
        time.sleep(0.1)


def stop_chromium(proc):
    """End chromium and every process of its session, and reap it."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def start_browser(profile):
    """A headless chromium, offline, driven by chromedriver: (driver, chromium process)."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common import utils
    except ImportError:
        raise Missing(f"python3-selenium is missing (no selenium module for {sys.executable}): "
                      "scripts/deps.sh installs it, as root")
    chromium = shutil.which("chromium")
    if not chromium:
        raise Missing("chromium is missing (no chromium on PATH): scripts/deps.sh installs it, "
                      "as root")
    driver = shutil.which("chromedriver")
    if not driver:
        raise Missing("chromium-driver is missing (no chromedriver on PATH): scripts/deps.sh "
                      "installs it, as root")

    class LoopbackService(Service):
        """chromedriver reached at 127.0.0.1, not "localhost"."""

        @property
        def service_url(self):
            return f"http://127.0.0.1:{self.port}"

        def is_connectable(self):
            return utils.is_connectable(self.port, host="127.0.0.1")

    proc, port = launch_chromium(chromium, profile)
    options = webdriver.ChromeOptions()
    options.debugger_address = f"127.0.0.1:{port}"
    for attempt in (1, 2):     # the free port selenium picked for the driver may be taken
        try:
            browser = webdriver.Chrome(service=LoopbackService(driver), options=options)
            break
        except (WebDriverException, OSError) as e:
            if attempt == 2:
                stop_chromium(proc)
                first = (str(getattr(e, "msg", "") or e).strip().splitlines() or ["?"])[0]
                raise Missing(f"chromium did not start through {driver}: {first}")
    browser.set_page_load_timeout(30)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions",
                            {"offline": True, "latency": 0, "downloadThroughput": -1,
                             "uploadThroughput": -1})
    return browser, proc


class ReportInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.missing, cls.seen, cls.fonts = "", {}, {}
        os.makedirs(BUILD, exist_ok=True)
        cls.tmp = tempfile.mkdtemp(prefix="report-test.", dir=BUILD)
        cls.out = os.path.join(cls.tmp, "report.html")
        proc = subprocess.run(
            [sys.executable, "-m", "ptb.report", "--csv", "results/bench.csv",
             "--plots", "results/plots", "--claims", "results/plots/claims",
             "--findings", "results/findings.json", "--table", "results/table.md",
             "-o", cls.out], cwd=ROOT, capture_output=True, text=True,
            env=dict(os.environ, PYTHONPATH=ROOT))
        if proc.returncode != 0:
            cls.missing = f"ptb.report failed: {proc.stderr.strip()}"
            return
        with open(cls.out, encoding="utf-8") as f:
            cls.has_headline = "<figure class=headline" in f.read()
        browser = proc = None
        try:
            browser, proc = start_browser(os.path.join(cls.tmp, "profile"))
            for width, height in SCREENS:
                browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": height,
                                         "deviceScaleFactor": 1, "mobile": width < 600})
                browser.get("file://" + cls.out)
                browser.execute_async_script("document.fonts.ready.then(arguments[0])")
                cls.seen[width] = browser.execute_script(MEASURE)
                cls.fonts[width] = cls.zh_fonts(browser)
                browser.save_screenshot(os.path.join(BUILD, f"report-{width}.png"))
        except Missing as e:
            cls.missing = str(e)
        except Exception as e:          # a browser that starts, then fails
            cls.missing = f"chromium failed: {type(e).__name__}: " + \
                (str(e).strip().splitlines() or ["?"])[0]
        finally:
            if browser is not None:
                browser.quit()
            if proc is not None:
                stop_chromium(proc)
        if cls.missing:
            print(f"test-report: {cls.missing}", file=sys.stderr)

    @staticmethod
    def zh_fonts(browser):
        """The fonts chromium drew the first Chinese words of the matrix with."""
        doc = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
        node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": doc["root"]["nodeId"],
                                                             "selector": "table.matrix .zh"})
        if not node.get("nodeId"):
            return []
        browser.execute_cdp_cmd("CSS.enable", {})
        used = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        return [f["familyName"] for f in used.get("fonts", []) if f.get("glyphCount")]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        if self.missing:
            raise self.failureException(self.missing) from None

    def test_nothing_scrolls_sideways(self):
        for width, seen in self.seen.items():
            self.assertEqual(seen["width"], width)
            self.assertLessEqual(seen["scrollWidth"], seen["width"], f"at {width} px")

    def test_every_image_has_loaded(self):
        for width, seen in self.seen.items():
            self.assertGreater(len(seen["images"]), 10)
            for img in seen["images"]:
                self.assertTrue(img["complete"] and img["naturalWidth"] > 0,
                                f"at {width} px: {img['alt']}")

    def inside_first_screen(self, what, width):
        seen = self.seen[width]
        box = seen[what]
        self.assertIsNotNone(box, f"no {what} at {width} px")
        self.assertTrue(box["left"] >= 0 and box["top"] >= 0 and box["right"] <= seen["width"]
                        and box["bottom"] <= seen["height"],
                        f"the {what} at {width} px is not inside the first "
                        f"{seen['width']} x {seen['height']}: {box}")

    def test_the_matrix_is_on_the_first_screen(self):
        for width, _ in SCREENS:
            self.inside_first_screen("matrix", width)

    def test_the_headline_figure_is_on_the_first_screen_at_1280(self):
        committed = any(os.path.exists(os.path.join(ROOT, "results", "plots", f"headline.{x}"))
                        for x in ("svg", "png"))
        self.assertEqual(self.has_headline, committed, "the report and the committed headline "
                         "figure disagree")
        if self.has_headline:
            self.inside_first_screen("headline", 1280)

    def test_no_two_texts_of_the_matrix_overlap(self):
        for width, seen in self.seen.items():
            texts = [t for t in seen["texts"] if t["right"] > t["left"] and t["bottom"] > t["top"]]
            self.assertGreater(len(texts), 12)
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
                    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    self.assertFalse(dx > 0.5 and dy > 0.5,
                                     f"at {width} px: {a['text']!r} overlaps {b['text']!r}")

    def test_the_chinese_words_have_a_chinese_font(self):
        for width, fonts in self.fonts.items():
            self.assertTrue(any(name in f for f in fonts for name in CJK_FONTS),
                            f"at {width} px the seed's Chinese words are drawn with {fonts}: "
                            "no Chinese font (fonts-wqy-microhei, scripts/deps.sh)")


if __name__ == "__main__":
    unittest.main()
