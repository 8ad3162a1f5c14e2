#!/usr/bin/env python3
"""Drives Keepwatch's web page in headless Chromium (Selenium + chromedriver) as a person would.

Reads one JSON argument: {"base", "users": {"admin": [name, password], "operator": [...], "viewer": [...]},
"slow_job", "check_id", "screenshots"}. Prints one line per step and "FAIL: ..." for each failed expectation;
exits 1 when any failed. Every page load is checked for console errors and CSP violations."""

import json
import os
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CONFIG = json.loads(sys.argv[1])
BASE = CONFIG["base"]
SHOTS = CONFIG["screenshots"]
FAILURES = []
COLOURS = {"running", "success", "partial", "error", "unknown", "offline"}


def say(text):
    print(text, flush=True)


def expect(condition, text):
    if not condition:
        FAILURES.append(text)
        say("FAIL: " + text)
    return condition


def browser(javascript=True, width=1280):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", f"--window-size={width},900", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def console_problems(driver, page):
    """Console errors and CSP violations since the last call."""
    for entry in driver.get_log("browser"):
        message = entry.get("message", "")
        if entry.get("level") == "SEVERE" or "Content Security Policy" in message or "Refused to" in message:
            expect(False, f"console on {page}: {entry.get('level')} {message}")


def wait(driver, condition, seconds=20, what="condition"):
    try:
        ignored = [StaleElementReferenceException, NoSuchElementException]
        return WebDriverWait(driver, seconds, poll_frequency=0.2, ignored_exceptions=ignored).until(lambda d: condition(d))
    except TimeoutException:
        expect(False, f"timed out waiting for {what} on {driver.current_url}")
        return None


def path(driver):
    parsed = urllib.parse.urlparse(driver.current_url)
    return parsed.path + ("?" + parsed.query if parsed.query else "")


def open_page(driver, address):
    driver.get(BASE + address)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", what="page load")
    console_problems(driver, address)


def sign_in(driver, role, next_path="/"):
    name, password = CONFIG["users"][role]
    open_page(driver, "/login?next=" + urllib.parse.quote(next_path))
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()
    wait(driver, lambda d: urllib.parse.urlparse(d.current_url).path != "/login", what=f"{role} signed in")
    console_problems(driver, "after sign-in")
    expect(driver.find_element(By.ID, "signed-in-as").text == name, f"the header names {name}")


def sign_out(driver):
    driver.find_element(By.ID, "logout").click()
    wait(driver, lambda d: urllib.parse.urlparse(d.current_url).path == "/login", what="signed out")
    open_page(driver, "/jobs")
    expect(urllib.parse.urlparse(driver.current_url).path == "/login", "after signing out, a page asks to sign in again")


def twin(driver, address):
    """The JSON twin of a page, fetched with the browser's session."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done({error: String(e)}));",
        address)


def screenshot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 360):
        driver.set_window_size(width, 900)
        time.sleep(0.2)
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
        driver.set_window_size(width, max(height, 600))
        time.sleep(0.2)
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))
        if width == 360:
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            expect(overflow <= 1, f"{name} at 360 px is not wider than the screen (overflow {overflow} px)")
    driver.set_window_size(1280, 900)


def check_overview(driver):
    say("overview: every target's dot, label and tooltip match the JSON twin")
    open_page(driver, "/")
    document = twin(driver, "/api/v1/overview?per_page=1000")
    targets = document.get("targets", [])
    expect(len(targets) > 0, "the overview has targets")
    open_page(driver, "/?per_page=1000")
    rows = table_rows(driver)
    expect(len(rows) == len(targets), f"{len(rows)} rows for {len(targets)} targets")
    seen = set()
    ranks = ["error", "offline", "partial", "unknown", "running", "success"]
    previous = 0
    for row, target in zip(rows, targets):
        state = row["state"]
        seen.add(state)
        expect(state == target["state"] and row["target"] == target["name"],
               f"row {row['target']} is {state}; the twin says {target['name']} is {target['state']}")
        expect(state in row["dot"].split(), f"{target['name']}'s dot has the class {state}")
        expect(row["label"] == state, f"{target['name']} has the text label {state} (got {row['label']!r})")
        expect(state in row["tooltip"], f"{target['name']}'s dot has a tooltip naming {state}")
        expect(ranks.index(state) >= previous, f"{target['name']} ({state}) is in worst-first order")
        previous = ranks.index(state)
    colours = {}
    for row in rows:
        colours.setdefault(row["state"], row["colour"])
    expect(len(set(colours.values())) == len(colours), f"each state has its own colour: {colours}")
    chips = driver.execute_script(
        "var out = {}; document.querySelectorAll('.counts a[data-state]').forEach(function (a) {"
        " out[a.dataset.state] = a.querySelector('b').textContent; }); return out;")
    for state, count in document.get("counts", {}).items():
        chip = chips.get(state, "")
        expect(chip.replace("\u202f", "") == str(count), f"the {state} count shows {count} (got {chip})")
    legend = driver.find_element(By.CSS_SELECTOR, "ul.legend").text
    expect(all(state in legend for state in COLOURS), "the legend names every state")
    return seen


def table_rows(driver):
    """The overview's rows read in one step (the live update may replace the table at any moment)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('table.targets tbody tr')).map(function (row) {"
        " var dot = row.querySelector('span.dot');"
        " return {state: row.dataset.state, target: row.dataset.target, dot: dot.className, tooltip: dot.title || '',"
        "  label: row.querySelector('.state-label').textContent, colour: getComputedStyle(dot).backgroundColor}; });")


def check_filters(driver, seen):
    say("overview: filters and search keep their state in the URL")
    state = "error" if "error" in seen else sorted(seen)[0]
    open_page(driver, "/")
    Select(driver.find_element(By.ID, "f-state")).select_by_value(state)
    driver.find_element(By.ID, "apply-filters").click()
    wait(driver, lambda d: "state=" + state in d.current_url, what="the state filter in the URL")
    console_problems(driver, "filtered overview")
    rows = table_rows(driver)
    expect(rows and all(r["state"] == state for r in rows), f"state={state} shows only {state} targets")
    expect(Select(driver.find_element(By.ID, "f-state")).first_selected_option.get_attribute("value") == state,
           "the state select keeps its value after the reload")
    name = rows[0]["target"] if rows else ""
    open_page(driver, "/?q=" + urllib.parse.quote(name))
    rows = table_rows(driver)
    expect(rows and all(name.lower() in r["target"].lower() for r in rows), f"search {name!r} narrows the list")
    expect(driver.find_element(By.ID, "f-q").get_attribute("value") == name, "the search box keeps its text")
    open_page(driver, "/?q=no-such-target-anywhere")
    expect("No target matches" in driver.find_element(By.ID, "live").text, "an empty result says so and how to clear it")


def check_keyboard(driver):
    say("keyboard: the skip link comes first and focus is visible")
    open_page(driver, "/")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    expect("skip" in (active.get_attribute("class") or ""), "Tab first reaches 'Skip to content'")
    active.send_keys(Keys.TAB)
    outline = driver.switch_to.active_element.value_of_css_property("outline-style")
    expect(outline not in ("none", ""), f"the focused link shows an outline ({outline})")


def check_dark(driver):
    say("dark mode follows prefers-color-scheme")
    open_page(driver, "/")
    light = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    dark = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    expect(light != dark, f"the background changes in dark mode ({light} -> {dark})")
    screenshot(driver, "overview-dark")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})


def pages_with_screenshots(driver):
    say("every page loads without console errors; screenshots at 1280 and 360 px")
    job = CONFIG["slow_job"]
    runs = twin(driver, f"/api/v1/runs?job_id={job}").get("runs", [])
    pages = [("overview", "/"), ("jobs", "/jobs"), ("job", f"/jobs/{job}"), ("backups", "/backups"), ("checks", "/checks"),
             ("sources", "/sources"), ("notifications", "/notifications"), ("users", "/users")]
    if runs:
        pages.append(("run", "/runs/" + runs[0]["run_id"]))
    if CONFIG.get("check_id"):
        pages.append(("check", "/checks/" + CONFIG["check_id"]))
    for name, address in pages:
        open_page(driver, address)
        expect(driver.find_elements(By.TAG_NAME, "h1"), f"{address} has a heading")
        json_link = driver.find_element(By.CSS_SELECTOR, "footer a").get_attribute("href")
        document = twin(driver, json_link)
        expect(isinstance(document, dict) and "error" not in document, f"{address}'s JSON twin {json_link} answers: {str(document)[:200]}")
        screenshot(driver, name)
        console_problems(driver, address)


def run_now_and_watch(driver):
    job = CONFIG["slow_job"]
    say(f"operator: run {job} now and watch it finish without reloading")
    open_page(driver, f"/jobs/{job}")
    before = set(driver.execute_script("return Array.from(document.querySelectorAll('tr[data-run]')).map(r => r.dataset.run)"))
    driver.find_element(By.CSS_SELECTOR, "button.run-now").click()
    wait(driver, lambda d: "notice=" in d.current_url, what="the notice after Run now")
    expect("started" in driver.find_element(By.CSS_SELECTOR, ".notice").text, "a notice says the run started")
    driver.execute_script("window.keepwatchMarker = 'same page';")
    def runs(d):
        return d.execute_script("return Array.from(document.querySelectorAll('tr[data-run]'))"
                                ".map(r => ({id: r.dataset.run, status: r.dataset.status}))")
    new = wait(driver, lambda d: [r for r in runs(d) if r["id"] not in before], what="the new run's row")
    run_id = new[0]["id"] if new else ""
    expect(new and new[0]["status"] == "running", "the new run shows as running")
    finished = wait(driver, lambda d: any(r["id"] == run_id and r["status"] == "success" for r in runs(d)),
                    seconds=40, what="the run to finish")
    expect(finished, "the run turns to success on the page")
    expect(driver.execute_script("return window.keepwatchMarker") == "same page", "the page was not reloaded")
    console_problems(driver, f"/jobs/{job} while live")

    say("operator: open a running run's live log")
    open_page(driver, f"/jobs/{job}")
    driver.find_element(By.CSS_SELECTOR, "button.run-now").click()
    wait(driver, lambda d: "notice=" in d.current_url, what="the second run")
    link = driver.find_element(By.CSS_SELECTOR, "tr[data-run] a")
    link.click()
    wait(driver, lambda d: "/runs/" in d.current_url, what="the run page")
    driver.execute_script("window.keepwatchMarker = 'run page';")
    expect(driver.find_element(By.ID, "run-status").text == "running", "the run page shows it running")
    ended = wait(driver, lambda d: d.find_element(By.ID, "run-status").text == "success", seconds=40, what="the live run to end")
    expect(ended, "the run page follows the run to success")
    log = driver.find_element(By.ID, "run-log").text
    expect("step 3" in log, f"the live log shows the job's output: {log[-200:]!r}")
    expect(driver.execute_script("return window.keepwatchMarker") == "run page", "the run page was not reloaded")
    console_problems(driver, "run page while live")


def viewer_sees_no_buttons(driver):
    say("viewer: no action buttons, and a forged action is refused")
    for address in ("/", "/jobs", f"/jobs/{CONFIG['slow_job']}", "/backups", "/checks", "/sources"):
        open_page(driver, address)
        buttons = driver.find_elements(By.CSS_SELECTOR, "button.run-now, button.stop, button.abort, button.verify, button.rerun, "
                                                         "button.remove, form#add-source")
        expect(not buttons, f"a viewer sees no action button on {address} ({len(buttons)} found)")
    expect("Users" not in [a.text for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")], "a viewer's menu has no Users")
    status = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch('/jobs/' + arguments[0] + '/run', {method: 'POST', credentials: 'same-origin',"
        " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: '', redirect: 'manual'})"
        ".then(r => done(r.status), e => done(String(e)));", CONFIG["slow_job"])
    expect(status == 403, f"a viewer's forged Run now gets 403 (got {status})")
    driver.get_log("browser")  # the refused request's own console line is expected


def javascript_off():
    say("JavaScript off: sign-in, the overview and its filters still work")
    driver = browser(javascript=False)
    try:
        sign_in(driver, "viewer")
        expect(driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr"), "the overview lists targets without JavaScript")
        Select(driver.find_element(By.ID, "f-kind")).select_by_value("local")
        driver.find_element(By.ID, "apply-filters").click()
        wait(driver, lambda d: "kind=local" in d.current_url, what="the filter without JavaScript")
        rows = driver.find_elements(By.CSS_SELECTOR, "table.targets tbody tr")
        expect(rows, "the kind filter works without JavaScript")
    finally:
        driver.quit()


def main():
    driver = browser()
    try:
        open_page(driver, "/")
        expect(urllib.parse.urlparse(driver.current_url).path == "/login", "an anonymous visitor is sent to sign in")
        screenshot(driver, "login")
        sign_in(driver, "admin")
        expect(path(driver) == "/", "signing in returns to the page asked for")
        seen = check_overview(driver)
        say("states seen: " + ",".join(sorted(seen)))
        check_filters(driver, seen)
        check_keyboard(driver)
        check_dark(driver)
        pages_with_screenshots(driver)
        sign_out(driver)
        sign_in(driver, "operator", next_path=f"/jobs/{CONFIG['slow_job']}")
        expect(path(driver) == f"/jobs/{CONFIG['slow_job']}", "sign-in goes on to the page in ?next=")
        run_now_and_watch(driver)
        sign_out(driver)
        sign_in(driver, "viewer")
        viewer_sees_no_buttons(driver)
        sign_out(driver)
    finally:
        driver.quit()
    javascript_off()
    say(f"{len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
