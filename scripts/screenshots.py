"""Screenshots of the main pages for the README, with headless Chromium (selenium).

    bash scripts/demo.sh                       # or any running instance
    .venv/bin/python scripts/screenshots.py    # the demo's URL and alice's password from var/demo
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8025 --email a@b --password pw

Writes docs/screenshots/<page>-<width>.png: the list, a message, the reading pane, the print
view and the settings area at 1280 and 390 px wide (PNG, palette-reduced when Pillow is there).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
WIDTHS = (1280, 390)
HEIGHT = {1280: 800, 390: 844}


def demo_defaults() -> tuple[str, str, str]:
    port = os.environ.get("WEBMAIL_DEMO_PORT", "8025")
    secrets = REPO / "var" / "demo" / "secrets.env"
    password = ""
    if secrets.exists():
        found = re.search(r"DEMO_PASSWORD_ALICE=(\S+)", secrets.read_text())
        password = found.group(1) if found else ""
    return f"http://127.0.0.1:{port}", "alice@example.test", password


def main() -> None:
    url, email, password = demo_defaults()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=url)
    parser.add_argument("--email", default=email)
    parser.add_argument("--password", default=password)
    args = parser.parse_args()
    if not args.password:
        sys.exit("no password: start the demo (bash scripts/demo.sh) or pass --email and --password")

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    profile = tempfile.mkdtemp(prefix="webmail-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    flags = ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}", "--force-device-scale-factor=1")
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 30)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        driver.set_window_size(1280, 800)
        driver.get(f"{args.url}/accounts/login/")
        driver.find_element(By.NAME, "email").send_keys(args.email)
        driver.find_element(By.NAME, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "list-form")))
        message = driver.find_element(By.CSS_SELECTOR, "tr.message .col-subject a").get_attribute("href")
        pages = {"list": "/mail/INBOX/", "message": message, "print": message.rstrip("/") + "/print/", "settings": "/settings/"}
        for width in WIDTHS:
            driver.set_window_size(width, HEIGHT[width])
            for name, path in pages.items():
                driver.get(path if path.startswith("http") else args.url + path)
                wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
                time.sleep(0.5)  # fonts and the body frame's height settle (a picture, not a test)
                shot(driver, OUT / f"{name}-{width}.png")
        # The three panes need a wider window than 1280: shown at 1600.
        driver.set_window_size(1600, 900)
        driver.get(args.url + "/mail/INBOX/")
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
        driver.find_element(By.CSS_SELECTOR, "tr.message .col-subject a").click()
        wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "[data-pane-frame]")))
        wait.until(EC.presence_of_element_located((By.ID, "message-subject")))
        driver.switch_to.default_content()
        time.sleep(0.5)
        shot(driver, OUT / "reading-pane-1600.png")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver: object, path: Path) -> None:
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:  # small files for the repository: 256 colours
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)
    print(path.relative_to(REPO), path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
