#!/usr/bin/python3
"""The web side in a real browser (issue 14): Selenium drives headless
Chromium (Debian's chromium-driver) against spiegeld serving TLS with a test
CA made by openssl. An adviser signs in, opens the worklist, pages it, opens
a card from it and signs out; an expired session is sent back to sign-in; a
POST without the CSRF token is refused; an employer is refused another
employer's vacancy and an officer a CV. axe-core (npm) must report no
serious or critical violation on any page, the browser log must hold no
error and no CSP violation, every card prints to one A4 page and the lists
fit the printed page.

Exit 0: passed; 1: failed; 77: skipped (selenium, chromedriver or axe-core
missing; the reason is printed).

Usage: web_pages_selenium.py --spiegeld BIN --source DIR [--axe FILE]
"""
import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import base64

SKIP = 77
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message, flush=True)
    return condition


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def make_pki(d):
    os.makedirs(d)
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", d + "/ca.key", "-out", d + "/ca.crt", "-days", "2", "-subj", "/CN=Spiegel test CA"])
    run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", d + "/server.key", "-out", d + "/server.csr", "-subj", "/CN=localhost"])
    with open(d + "/server.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.crt", "-CAkey", d + "/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", d + "/server.ext", "-out", d + "/server.crt"])
    # The SPKI hash Chromium is told to trust (it has no way to load a CA file headless).
    spki = subprocess.run("openssl x509 -in '%s/server.crt' -pubkey -noout | openssl pkey -pubin -outform der"
                          " | openssl dgst -sha256 -binary | base64" % d, shell=True, check=True,
                          capture_output=True, text=True).stdout.strip()
    return spki


def find_axe(given, build_dir):
    for path in [given, os.environ.get("SPIEGEL_AXE", ""),
                 os.path.join(build_dir, "axe/node_modules/axe-core/axe.min.js")]:
        if path and os.path.isfile(path):
            return path
    # Not installed yet: try npm once (the package.json pins the version).
    package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "axe")
    if shutil.which("npm"):
        target = os.path.join(build_dir, "axe")
        os.makedirs(target, exist_ok=True)
        shutil.copy(os.path.join(package, "package.json"), target)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", target], capture_output=True,
                       timeout=120)
        path = os.path.join(target, "node_modules/axe-core/axe.min.js")
        if os.path.isfile(path):
            return path
    return ""


class Daemon:
    def __init__(self, binary, config, log):
        self.log = log
        self.proc = subprocess.Popen([binary, "serve", "--config", config, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline and self.port is None:
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", open(log).read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.port is None:
            raise RuntimeError("spiegeld did not start: " + open(log).read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spiegeld", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--axe", default="")
    ap.add_argument("--build", default=os.getcwd())
    args = ap.parse_args()
    global By, WebDriverWait, StaleElementReferenceException, WebDriverException
    try:
        from selenium import webdriver
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        print("SKIP: python3-selenium is not installed (apt-get install python3-selenium)")
        return SKIP
    if not os.path.exists("/usr/bin/chromedriver"):
        print("SKIP: /usr/bin/chromedriver is missing (apt-get install chromium-driver)")
        return SKIP
    axe_path = find_axe(args.axe, args.build)
    if not axe_path:
        print("SKIP: axe-core is not available (npm install --prefix BUILD/axe axe-core; network needed once)")
        return SKIP
    axe_source = open(axe_path).read()

    work = tempfile.mkdtemp(prefix="spiegel-selenium-")
    daemon = None
    driver = None
    try:
        spki = make_pki(work + "/tls")
        shutil.copytree(os.path.join(args.source, "rules"), work + "/rules")
        os.makedirs(work + "/data")
        config = work + "/spiegeld.yaml"
        with open(config, "w") as f:
            f.write("source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                    "rules:\n  directory: rules\nhttp:\n  listen: 127.0.0.1:0\n"
                    "  tls:\n    cert_file: tls/server.crt\n    key_file: tls/server.key\n"
                    "scan:\n  incremental_interval: 1h\n")
        bin_ = args.spiegeld
        run([bin_, "demo", "--config", config, "--cvs", "3000", "--vacancies", "600", "--employers", "60"])
        run([bin_, "scan", "--config", config, "--full"])
        db = sqlite3.connect(work + "/data/source.db")
        own_employer, = db.execute("SELECT employer_id FROM vacancy WHERE employer_id <> '' GROUP BY employer_id "
                                   "ORDER BY count(*) DESC LIMIT 1").fetchone()
        other_vacancy, = db.execute("SELECT id FROM vacancy WHERE employer_id <> ? LIMIT 1",
                                    (own_employer,)).fetchone()
        db.close()
        tokens = {}
        for name, role, extra in [("adviseur", "adviser", []), ("werkgever", "employer", ["--employer", own_employer]),
                                  ("beleid", "officer", [])]:
            tokens[role] = run([bin_, "token", "add", name, "--role", role, "--config", config] + extra).stdout.strip()
        daemon = Daemon(bin_, config, work + "/serve.log")
        base = "https://127.0.0.1:%d" % daemon.port

        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--user-data-dir=" + work + "/profile", "--ignore-certificate-errors-spki-list=" + spki,
                     "--window-size=1280,900"]:
            options.add_argument(flag)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_script_timeout(60)

        def axe(label):
            driver.execute_script(axe_source)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
                ".catch(e => done([{id: 'axe-error', impact: 'critical', description: String(e)}]));")
            bad = [v for v in result if v.get("impact") in ("serious", "critical")]
            check(not bad, "%s: axe violations %s" % (label, [(v["id"], v.get("description")) for v in bad]))

        def console_clean(label):
            entries = driver.get_log("browser")
            bad = [e for e in entries if e.get("level") in ("SEVERE", "WARNING") or "Content Security Policy" in
                   e.get("message", "")]
            check(not bad, "%s: browser log %s" % (label, bad))

        def expected_refusals(label):
            # The deliberate refusals log their 403 as a network error: those, and only those.
            entries = driver.get_log("browser")
            bad = [e for e in entries if (e.get("level") in ("SEVERE", "WARNING") or "Content Security Policy" in
                                          e.get("message", "")) and
                   not (e.get("source") == "network" and "status of 403" in e.get("message", ""))]
            check(not bad, "%s: browser log %s" % (label, bad))

        def pdf_pages():
            data = base64.b64decode(driver.print_page())
            return len(re.findall(rb"/Type\s*/Page[^s]", data))

        def fits_print(label):
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
            driver.set_window_size(794, 1123)  # A4 at 96 dpi
            overflow = driver.execute_script(
                "return [...document.querySelectorAll('table')].some(t => t.getBoundingClientRect().right >"
                " document.documentElement.clientWidth + 1)")
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
            driver.set_window_size(1280, 900)
            check(not overflow, "%s: a table is wider than the printed page" % label)

        def left_the_page(element):
            # staleness_of, also when ChromeDriver answers a node that went
            # with the old document by "does not belong to the document"
            # instead of a stale-element error (a race with the navigation).
            def gone(_driver):
                try:
                    element.is_enabled()
                    return False
                except StaleElementReferenceException:
                    return True
                except WebDriverException as e:
                    if "does not belong to the document" in str(e) or "No node with given id" in str(e):
                        return True
                    raise
            return gone

        def click_and_wait(element):
            element.click()
            WebDriverWait(driver, 15).until(left_the_page(element))

        def sign_in(token):
            driver.get(base + "/inloggen")
            driver.find_element(By.ID, "token").send_keys(token)
            click_and_wait(driver.find_element(By.CSS_SELECTOR, "form[action='/inloggen'] button"))

        def sign_out():
            click_and_wait(driver.find_element(By.CSS_SELECTOR, "form[action='/uitloggen'] button"))

        # 1. A browser without a session is sent to sign-in.
        driver.get(base + "/werklijst?region=AM21")
        check(driver.current_url.endswith("/inloggen"), "no session: sent to /inloggen, got " + driver.current_url)
        axe("/inloggen")
        console_clean("/inloggen")
        # 2. Sign in as an adviser; the cookie is __Host-, HttpOnly, Secure, Strict.
        sign_in(tokens["adviser"])
        check(driver.current_url.endswith("/werklijst"), "adviser lands on /werklijst: " + driver.current_url + " " +
              re.sub(r"\s+", " ", driver.find_element(By.TAG_NAME, "main").text)[:200])
        cookies = {c["name"]: c for c in driver.get_cookies()}
        session = cookies.get("__Host-spiegel-sessie")
        check(session is not None, "session cookie __Host-spiegel-sessie set: %s" % list(cookies))
        if session:
            check(session.get("httpOnly") and session.get("secure") and session.get("sameSite") == "Strict",
                  "cookie flags: %s" % session)
        axe("/werklijst (form)")
        # 3. The worklist of a region, paged.
        driver.get(base + "/werklijst?region=AM21")
        rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
        check(len(rows) == 50, "worklist page 1 has 50 rows, got %d" % len(rows))
        axe("/werklijst?region=AM21")
        fits_print("worklist")
        click_and_wait(driver.find_element(By.LINK_TEXT, "Volgende pagina"))
        check("page=2" in driver.current_url and "pagina 2 van" in driver.page_source, "paged to page 2")
        # 4. A card from the list.
        first = driver.find_element(By.CSS_SELECTOR, "table tbody tr th a")
        card_id = first.text
        click_and_wait(first)
        check(driver.current_url.endswith("/cards/cv/" + card_id), "opened the card of " + card_id)
        check(card_id in driver.page_source, "the card shows its id")
        axe("/cards/cv")
        pages = pdf_pages()
        check(pages == 1, "the CV card prints to one A4 page, got %d" % pages)
        console_clean("worklist and card")
        # 5. A POST without the CSRF token is refused; the session survives it.
        driver.get(base + "/werklijst")
        old = driver.find_element(By.TAG_NAME, "main")
        driver.execute_script(
            "const f = document.createElement('form'); f.method = 'post'; f.action = '/uitloggen';"
            "document.body.appendChild(f); f.submit();")
        WebDriverWait(driver, 15).until(left_the_page(old))
        check("Niet toegestaan" in driver.page_source, "CSRF-less POST /uitloggen refused")
        expected_refusals("CSRF-less POST")
        driver.get(base + "/werklijst")
        check(driver.current_url.endswith("/werklijst"), "still signed in after the refused POST")
        # 6. Sign out; the pages are closed again.
        sign_out()
        check(driver.current_url.endswith("/inloggen"), "signed out to /inloggen: " + driver.current_url)
        driver.get(base + "/werklijst?region=AM21")
        check(driver.current_url.endswith("/inloggen"), "after sign-out the worklist sends to /inloggen")
        # 7. An expired session is sent back to sign-in (its last use moved 31 minutes back).
        sign_in(tokens["adviser"])
        access = sqlite3.connect(work + "/data/access.db")
        access.execute("UPDATE web_session SET last_seen = last_seen - 31 * 60, created_at = created_at - 31 * 60")
        access.commit()
        access.close()
        driver.get(base + "/werklijst?region=AM21")
        check(driver.current_url.endswith("/inloggen"), "expired session sent to /inloggen: " + driver.current_url)
        driver.delete_all_cookies()
        # 8. An employer: its own vacancies, refused another employer's vacancy.
        sign_in(tokens["employer"])
        check(driver.current_url.endswith("/mijn-vacatures"), "employer lands on /mijn-vacatures")
        axe("/mijn-vacatures")
        fits_print("employer list")
        links = driver.find_elements(By.CSS_SELECTOR, "table tbody tr th a")
        check(len(links) > 0, "the employer sees its vacancies")
        if links:
            click_and_wait(links[0])
            axe("/cards/vacancy")
            pages = pdf_pages()
            check(pages == 1, "the vacancy card prints to one A4 page, got %d" % pages)
        driver.get(base + "/cards/vacancy/" + other_vacancy)
        check("Niet toegestaan" in driver.page_source, "employer refused another employer's vacancy")
        axe("refusal page")
        driver.get(base + "/werklijst?region=AM21")
        check("Niet toegestaan" in driver.page_source, "employer refused the worklist")
        expected_refusals("employer refusals")
        driver.delete_all_cookies()
        # 9. An officer: the overview, refused a CV.
        sign_in(tokens["officer"])
        check(driver.current_url.endswith("/overzicht"), "officer lands on /overzicht")
        axe("/overzicht")
        fits_print("overview")
        driver.get(base + "/cards/cv/" + card_id)
        check("Niet toegestaan" in driver.page_source, "officer refused a CV card")
        expected_refusals("officer refusal")
        # 10. The anonymous occupation card too.
        driver.get(base + "/cards/occupation/2512?region=AM21")
        axe("/cards/occupation")
        pages = pdf_pages()
        check(pages == 1, "the occupation card prints to one A4 page, got %d" % pages)
        driver.get(base + "/overzicht")
        console_clean("employer, officer and occupation pages")
    finally:
        if driver:
            driver.quit()
        if daemon:
            daemon.stop()
        if not FAILURES:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept " + work)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
