#!/usr/bin/env python3
"""A real browser walks the officials' pages (issue 14), as the people would.

Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by selenium (PyPI) against a
live `meridian serve --workers` on a private cluster of its own (a temporary folder, deleted at
the end; your default database is never touched):

  an official signs in (after a wrong token is refused), files a request (after an invalid form
  comes back with its problems), the desk screens and approves the matches (through the JSON API,
  as the program manager), the official sees the five matches and chooses the partner, the
  partner country's official signs in and confirms; the official signs in with a one-time link
  (`meridian user invite`) and writes in the conversation with an attachment, which the partner's
  official reads and downloads; the used link gets its one page; another country's official gets
  "not found" for the exchange; the language switcher turns the pages into French; the knowledge
  base is searched signed out; the requesting official gives feedback on the experience her
  exchange was matched with (another official reads it, without a form); the program manager
  takes a new request into screening and approves it from her inbox page. Then the official fills
  the plan's form (an activity in the past comes back at its row), uploads the plan file and
  submits it; the fund approver and the finance officer fund it and the bank pays (API); she
  sees the grant and its payments (no bank details) and sends the results report (an invalid
  one first).

Every page is photographed at 1280 and 390 px wide into SCREENSHOTS (default
Tests/Browser/screenshots). Exit status 0 when every check held.

  python3 Tests/Browser/walk.py                          # builds debug first
  MERIDIAN_BIN=.build/debug/meridian python3 Tests/Browser/walk.py
"""
import datetime, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.abspath(os.environ.get("SCREENSHOTS", os.path.join(ROOT, "Tests/Browser/screenshots")))
PORT = int(os.environ.get("PORT", "18097"))
BASE = f"http://127.0.0.1:{PORT}"


def meridian_binary():
    if os.environ.get("MERIDIAN_BIN"):
        return os.path.abspath(os.environ["MERIDIAN_BIN"])
    subprocess.run(["swift", "build", "--product", "meridian"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "meridian")


class Walk:
    def __init__(self, binary, work):
        self.binary, self.work, self.failures, self.shots = binary, work, [], 0
        self.env = dict(os.environ, MERIDIAN_DATA_DIR=os.path.join(work, "pg"), XDG_CONFIG_HOME=os.path.join(work, "config"))
        for name in ("MERIDIAN_TOKEN", "MERIDIAN_DATABASE_URL"):
            self.env.pop(name, None)

    # --- the server and its people -------------------------------------------------------
    def m(self, *args, token=None):
        env = dict(self.env)
        if token:
            env["MERIDIAN_TOKEN"] = token
        out = subprocess.run([self.binary, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""

    def setup(self):
        self.m("db", "start")
        subprocess.run([self.binary, "workflow", "deploy", *sorted(
            os.path.join(ROOT, "Workflows", f) for f in os.listdir(os.path.join(ROOT, "Workflows")) if f.endswith(".xml"))],
            cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.admin = self.m("user", "add", "ada", "--name", "Ada Admin", "--role", "admin")
        self.m("kb", "seed", token=self.admin)
        self.m("user", "add", "amani", "--name", "Amani Kabila", "--role", "official", "--country", "COD", token=self.admin)
        self.m("user", "add", "pat", "--name", "Pat Manager", "--role", "program-manager", token=self.admin)
        self.m("user", "add", "inga", "--name", "Inga Stranger", "--role", "official", "--country", "ISL", token=self.admin)
        self.official = self.m("token", "create", "--user", "amani", token=self.admin)
        self.manager = self.m("token", "create", "--user", "pat", token=self.admin)
        self.stranger = self.m("token", "create", "--user", "inga", token=self.admin)
        self.log = open(os.path.join(self.work, "serve.log"), "w")
        self.server = subprocess.Popen([self.binary, "serve", "--port", str(PORT), "--workers", "--verbose"],
                                       cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{BASE}/readyz", timeout=1)
                return
            except Exception:
                time.sleep(0.2)
        raise SystemExit("walk: the server did not become ready")

    def api(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Authorization": f"Bearer {token}"})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")

    def wait_for_state(self, exchange, states, seconds=60):
        for _ in range(seconds * 4):
            state = self.api("GET", f"/api/v1/exchanges/{exchange}/status", self.manager)["state"]
            if state in states:
                return state
            time.sleep(0.25)
        raise SystemExit(f"walk: exchange {exchange} stayed in {state}, not {states}")

    # --- the browser ---------------------------------------------------------------------
    def open_browser(self):
        options = Options()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-GB"):
            options.add_argument(argument)
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.browser = webdriver.Chrome(service=service, options=options)
        self.browser.set_window_size(1280, 900)

    def check(self, condition, what):
        print(("  ok   " if condition else "  FAIL ") + what)
        if not condition:
            self.failures.append(what)

    def shot(self, name):
        """The page at 1280 and at 390 px wide (full height), and its own checks: one h1, no
        horizontal scrolling at 390 px, at most 100 KB."""
        self.shots += 1
        b = self.browser
        html = b.page_source
        self.check(len(b.find_elements(By.TAG_NAME, "h1")) == 1, f"{name}: one h1")
        self.check(len(html.encode()) <= 100_000, f"{name}: {len(html.encode())} bytes ≤ 100 KB")
        for width in (1280, 390):
            b.set_window_size(width, 900)
            height = b.execute_script("return document.documentElement.scrollHeight")
            b.set_window_size(width, min(max(height, 600), 8000))
            if width == 390:
                scroll = b.execute_script("return document.documentElement.scrollWidth")
                self.check(scroll <= 390, f"{name}: fits 390 px (scroll width {scroll})")
            b.save_screenshot(os.path.join(SHOTS, f"{self.shots:02d}-{name}-{width}.png"))
        b.set_window_size(1280, 900)

    def click(self, element):
        """Clicks a submit button and waits for the next page to replace this one."""
        old = self.browser.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_):
            # Chromium sometimes answers "Node with given id does not belong to the document"
            # instead of a stale element while the next page replaces this one: both mean gone.
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True
        WebDriverWait(self.browser, 30).until(replaced)

    def go(self, path):
        self.browser.get(BASE + path)

    def sign_in(self, token):
        self.go("/sign-in")
        self.browser.find_element(By.ID, "token").send_keys(token)
        self.click(self.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))

    def sign_out(self):
        # Right after a screenshot's window resizing, chromedriver sometimes answers a click with
        # "Node with given id does not belong to the document": find the button again and retry.
        for attempt in range(3):
            try:
                self.click(self.browser.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button"))
                return
            except WebDriverException:
                if "/sign-in" in self.browser.current_url or attempt == 2:
                    if attempt == 2:
                        raise
                    return
                time.sleep(0.5)

    def text(self):
        return self.browser.find_element(By.TAG_NAME, "body").text

    # --- the walk ------------------------------------------------------------------------
    def run(self):
        b = self.browser
        print("walk: a wrong token")
        self.sign_in("mrd_" + "a" * 52)
        self.check("That token was not accepted" in self.text(), "a wrong token is refused with a clear line")
        self.shot("sign-in-wrong-token")

        print("walk: the official signs in and files a request")
        self.sign_in(self.official)
        self.check(b.current_url.endswith("/exchanges"), "signed in, on my exchanges")
        self.shot("my-exchanges-empty")
        self.go("/exchanges/new")
        self.shot("new-request")
        b.find_element(By.ID, "development_goal").send_keys("peace")
        b.find_element(By.ID, "indicator0_name").send_keys("Former fighters with a livelihood")
        b.find_element(By.ID, "indicator0_unit").send_keys("%")
        b.find_element(By.ID, "indicator0_baseline").send_keys("12")
        b.find_element(By.ID, "indicator0_target").send_keys("twelve")
        self.click(b.find_element(By.ID, "file-request"))
        problems = {p.get_attribute("id") for p in b.find_elements(By.CSS_SELECTOR, "p.problem")}
        self.check({"development_goal-problem", "institutional_challenge-problem", "sectors-problem", "indicator0-problem"} <= problems,
                   f"the invalid form shows each problem at its field ({sorted(problems)})")
        self.check(b.find_element(By.ID, "indicator0_name").get_attribute("value") == "Former fighters with a livelihood", "the input is kept")
        self.shot("new-request-problems")
        goal = b.find_element(By.ID, "development_goal")
        goal.clear()
        goal.send_keys("<script>alert(1)</script> Lasting peace in the eastern provinces after the civil war")
        b.find_element(By.ID, "institutional_challenge").send_keys(
            "The national commission cannot reintegrate demobilised ex-combatants and former fighters into their communities")
        b.find_element(By.ID, "change_objective").send_keys(
            "Design a community-based reintegration programme with livelihood support for former fighters")
        for box in ("sectors-demobilisation-reintegration", "sectors-peacebuilding", "instruments-study-visit"):
            b.find_element(By.ID, box).click()
        target = b.find_element(By.ID, "indicator0_target")
        target.clear()
        target.send_keys("40")
        self.click(b.find_element(By.ID, "file-request"))
        if b.find_elements(By.ID, "file-request"):
            # A country the knowledge base does not know needs its name, region and income group.
            problems = {p.get_attribute("id") for p in b.find_elements(By.CSS_SELECTOR, "p.problem")}
            self.check(problems == {"country_name-problem", "region-problem", "income_group-problem"},
                       f"an unknown country needs its name, region and income group ({sorted(problems)})")
            self.check(b.find_element(By.ID, "sectors-peacebuilding").is_selected(), "the choices are kept")
            b.find_element(By.ID, "country_name").send_keys("Democratic Republic of the Congo")
            Select(b.find_element(By.ID, "region")).select_by_value("sub-saharan-africa")
            Select(b.find_element(By.ID, "income_group")).select_by_value("low")
            self.click(b.find_element(By.ID, "file-request"))
        match = re.search(r"/exchanges/([0-9a-f-]{36})", b.current_url)
        self.check(match is not None, "the request is filed and its page shown")
        exchange = match.group(1)
        self.check("<script>alert(1)</script> Lasting peace" in b.find_element(By.TAG_NAME, "h1").text, "the goal's markup shows as text")
        self.shot("exchange-filed")

        print("walk: the program manager screens and approves (API)")
        self.api("POST", f"/api/v1/exchanges/{exchange}/screening", self.manager)
        self.api("POST", f"/api/v1/exchanges/{exchange}/decisions", self.manager, {"verb": "approve", "comment": "in mandate"})
        self.wait_for_state(exchange, {"match-review"})
        self.api("POST", f"/api/v1/exchanges/{exchange}/decisions", self.manager, {"verb": "approve", "comment": "good matches"})

        print("walk: the official sees the matches and chooses the partner")
        self.go(f"/exchanges/{exchange}")
        cards = b.find_elements(By.CSS_SELECTOR, "article.card")
        self.check(len(cards) == 5, f"five matches shown ({len(cards)})")
        self.shot("exchange-matches")
        button = b.find_elements(By.CSS_SELECTOR, "button[id^=choose-]")[0]
        partner = button.get_attribute("id").split("-", 1)[1]
        self.click(button)
        self.check("The country is invited as partner." in self.text(), f"{partner} is invited")
        self.shot("exchange-partner-invited")
        self.wait_for_state(exchange, {"partner-confirmation"})
        self.sign_out()
        self.check("You are signed out." in self.text(), "signed out")

        print(f"walk: {partner}'s official confirms")
        self.m("user", "add", "pia", "--name", "Pia Partner", "--role", "official", "--country", partner, token=self.admin)
        partner_token = self.m("token", "create", "--user", "pia", token=self.admin)
        self.sign_in(partner_token)
        self.shot("partner-my-exchanges")
        self.go(f"/exchanges/{exchange}")
        self.check(len(b.find_elements(By.ID, "confirm")) == 1, "the partner sees the invitation")
        self.shot("partner-invitation")
        self.click(b.find_element(By.ID, "confirm"))
        self.check("You confirmed the partnership." in self.text(), "the partnership is confirmed")
        self.check(self.wait_for_state(exchange, {"planning"}) == "planning", "the exchange moved on to planning")
        self.shot("partner-confirmed")

        print("walk: the official signs in with a one-time link and writes with an attachment")
        self.sign_out()
        link = self.m("user", "invite", "--user", "amani", "--expires-in", "1h", "--base-url", BASE, token=self.admin)
        self.check(link.startswith(f"{BASE}/sign-in/invite/"), "meridian user invite prints the link")
        self.browser.get(link)
        self.check(len(b.find_elements(By.ID, "use-invite")) == 1, "the link shows a button (opening it uses nothing)")
        self.shot("invite-link")
        self.click(b.find_element(By.ID, "use-invite"))
        self.check(b.current_url.endswith("/exchanges") and "Amani Kabila" in self.text(), "the link signed the official in")
        draft = os.path.join(self.work, "plan-draft.pdf")
        with open(draft, "wb") as file:
            file.write(b"%PDF-1.4 draft of the visit plan to " + partner.encode())
        self.go(f"/exchanges/{exchange}")
        b.find_element(By.ID, "message-text").send_keys("Here is our draft plan.\nCould you host twelve people in week 3?")
        b.find_element(By.ID, "message-files").send_keys(draft)
        self.click(b.find_element(By.ID, "send-message"))
        self.check("Your message was sent" in self.text(), "the message is sent")
        self.shot("conversation-sent")
        self.sign_out()
        self.browser.get(link)
        self.check("This sign-in link cannot be used" in self.text(), "the used link gets one clear page")
        self.shot("invite-link-used")

        print(f"walk: {partner}'s official reads the message and its attachment")
        self.sign_in(partner_token)
        self.go(f"/exchanges/{exchange}")
        self.check("Could you host twelve people in week 3?" in self.text(), "the partner sees the message")
        links = b.find_elements(By.CSS_SELECTOR, "#conversation a[download]")
        self.check(len(links) == 1 and links[0].text == "plan-draft.pdf", "the partner sees the attachment")
        if links:
            cookie = b.get_cookie("mrd_session")["value"]
            request = urllib.request.Request(links[0].get_attribute("href"), headers={"Cookie": f"mrd_session={cookie}"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
                self.check(body == open(draft, "rb").read() and answer.headers["Content-Disposition"].startswith("attachment;")
                           and answer.headers["X-Content-Type-Options"] == "nosniff", "the attachment downloads whole, as a download")
        self.shot("partner-conversation")

        print("walk: a long conversation: the earlier messages on their own pages")
        for number in range(14):
            self.api("POST", f"/api/v1/exchanges/{exchange}/messages", partner_token,
                     {"text": f"Reply {number}: " + "Week 3 works for the ministry's team. " * 100})
        self.go(f"/exchanges/{exchange}")
        earlier = b.find_elements(By.CSS_SELECTOR, "#conversation a[href*='/messages?before=']")
        self.check(len(earlier) == 1 and "Could you host twelve people" not in self.text() and "Reply 13:" in self.text(),
                   "the exchange page shows the latest messages and links to the earlier ones")
        if earlier:
            self.click(earlier[0])
            while "Could you host twelve people" not in self.text():
                further = b.find_elements(By.CSS_SELECTOR, "main section a[href*='/messages?before=']")
                if not further:
                    break
                self.click(further[0])
            self.check("Could you host twelve people" in self.text(), "the first message is reached page by page")
            self.shot("conversation-earlier")
            self.go(f"/exchanges/{exchange}")

        print("walk: the language switcher")
        Select(b.find_element(By.ID, "language-switch")).select_by_value("fr")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action='/language'] button"))
        self.check(b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr" and "Le partenaire" in self.text(),
                   "the page is in French")
        self.go("/exchanges")
        self.check("Mes échanges" in self.text(), "French stays for the session")
        self.shot("partner-my-exchanges-fr")
        self.sign_out()

        print("walk: another country's official (the browser keeps French)")
        self.sign_in(self.stranger)
        self.go(f"/exchanges/{exchange}")
        self.check("Introuvable" in b.find_element(By.TAG_NAME, "h1").text and "Lasting peace" not in self.text(),
                   "another country's exchange reads as not found (Introuvable)")
        self.shot("other-country-not-found")
        self.sign_out()
        self.knowledge_and_inbox(exchange, partner)
        self.plan_grant_and_report(exchange)

    def knowledge_and_inbox(self, exchange, partner):
        """The knowledge base without signing in; the requesting official (of another country
        than the experience's) leaves feedback on the experience her exchange was matched
        with; the program manager decides from her inbox."""
        b = self.browser
        print("walk: the knowledge base without signing in (still in French)")
        self.go("/knowledge?q=reintegration")
        self.check("Base de connaissances" in b.find_element(By.TAG_NAME, "h1").text, "the knowledge base opens signed out")
        self.check(len(b.find_elements(By.CSS_SELECTOR, "article.card")) > 0, "the search finds experiences")
        self.shot("knowledge-search-fr")
        matches = self.api("GET", f"/api/v1/exchanges/{exchange}/matches", self.official)
        chosen = next(m for m in matches["matches"] if m["country_code"] == partner)
        path = f"/knowledge/{chosen['experience_id']}"
        self.go(path)
        self.check(len(b.find_elements(By.ID, "give-feedback")) == 0 and "plafonné" in self.text(),
                   "signed out: the experience, the weight of feedback, no form")
        self.shot("knowledge-experience-signed-out")
        Select(b.find_element(By.ID, "language-switch")).select_by_value("en")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action='/language'] button"))

        print("walk: the requesting official gives feedback on the partner's experience")
        self.sign_in(self.official)
        self.go(path)
        self.check(len(b.find_elements(By.ID, "give-feedback")) == 1, "the official whose exchange was matched sees the form")
        b.find_element(By.ID, "useful-yes").click()
        b.find_element(By.ID, "comment").send_keys("<i>Their community approach</i> fits our eastern provinces.")
        self.click(b.find_element(By.ID, "give-feedback"))
        self.check("Your feedback was recorded" in self.text() and "<i>Their community approach</i>" in self.text(),
                   "the feedback is shown, its markup as text")
        self.shot("knowledge-feedback-given")
        self.sign_out()
        self.sign_in(self.stranger)
        self.go(path)
        self.check(len(b.find_elements(By.ID, "give-feedback")) == 0 and "Their community approach" in self.text(),
                   "another official reads the feedback and gets no form")
        self.sign_out()

        print("walk: the program manager's inbox")
        filed = self.api("POST", "/api/v1/exchanges", self.official, {
            "country": "COD", "country_name": "Democratic Republic of the Congo", "region": "sub-saharan-africa",
            "income_group": "low", "development_goal": "Land titles for returning families in the eastern provinces",
            "institutional_challenge": "The land registry cannot settle claims of families returning after the conflict",
            "change_objective": "A community land registration procedure with mediation of competing claims",
            "sectors": ["land-administration"], "instruments": ["study-visit"],
            "indicators": [{"name": "Claims settled", "unit": "%", "baseline": 5, "target": 50}]})
        second = str(filed.get("exchange_id") or filed.get("id")).lower()
        self.sign_in(self.manager)
        self.check(len(b.find_elements(By.CSS_SELECTOR, "a[href='/inbox']")) == 1, "the inbox is in the program manager's menu")
        self.go("/inbox")
        self.shot("inbox-screen")
        self.click(b.find_element(By.ID, f"screen-{second}"))
        self.check("Taken into screening." in self.text(), "taken into screening from the inbox")
        b.find_element(By.ID, f"comment-{second}").send_keys("Within the facility's mandate.")
        self.shot("inbox-decide")
        self.click(b.find_element(By.ID, f"approve-{second}"))
        self.check("Approved." in self.text(), "approved from the inbox")
        self.check(self.wait_for_state(second, {"matching", "match-review"}) in {"matching", "match-review"}, "the request went on to matching")
        self.shot("inbox-after-approval")
        self.sign_out()

    def plan_grant_and_report(self, exchange):
        """The official fills the plan's form (an activity in the past first), uploads the plan
        file, and submits it; the fund approver and the finance officer fund it (API); she sees
        the grant and its payments (no bank details) and sends the results report."""
        b = self.browser
        print("walk: the official writes the plan")
        self.m("fund", "create", "rapid", "--name", "Rapid Response Fund", "--currency", "USD", "--donor", "Donor A",
               "--iban", "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX", token=self.admin)
        self.m("fund", "contribute", "rapid", "--donor", "Donor A", "--amount", "1,000,000.00 USD", "--reference", "AGR-1", token=self.admin)
        self.m("user", "add", "fay", "--name", "Fay Approver", "--role", "fund-approver", token=self.admin)
        self.m("user", "add", "finn", "--name", "Finn Finance", "--role", "finance-officer", token=self.admin)
        approver = self.m("token", "create", "--user", "fay", token=self.admin)
        finance = self.m("token", "create", "--user", "finn", token=self.admin)
        self.sign_in(self.official)
        Select(b.find_element(By.ID, "language-switch")).select_by_value("en")
        self.click(b.find_element(By.CSS_SELECTOR, "form[action='/language'] button"))
        self.go(f"/exchanges/{exchange}")
        self.click_link("plan-link")
        self.check("No plan has been written" in self.text(), "the plan page: no plan yet, the forms to write it")
        self.shot("plan-empty")
        day = lambda days: (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
        Select(b.find_element(By.ID, "a0_instrument")).select_by_value("study-visit")
        b.find_element(By.ID, "a0_title").send_keys("Reintegration centres in Musanze")
        self.set_value("a0_start", "2020-03-01")
        self.set_value("a0_end", "2020-03-05")
        b.find_element(By.ID, "a0_place").send_keys("Musanze, Rwanda")
        for field, value in (("name", "Amani Kabila"), ("institution", "UEPN-DDRCS"), ("country", "COD"), ("role", "visitor")):
            b.find_element(By.ID, f"a0_p0_{field}").send_keys(value)
        Select(b.find_element(By.ID, "b0_category")).select_by_value("travel")
        b.find_element(By.ID, "b0_description").send_keys("Flights and stay for twelve")
        b.find_element(By.ID, "b0_amount").send_keys("20,000.00")
        b.find_element(By.ID, "b0_currency").send_keys("USD")
        self.click(b.find_element(By.ID, "save-plan"))
        problems = {p.get_attribute("id") for p in b.find_elements(By.CSS_SELECTOR, "p.problem")}
        self.check(problems == {"a0-problem"}, f"an activity in the past is shown at its row ({sorted(problems)})")
        self.check(b.find_element(By.ID, "a0_title").get_attribute("value") == "Reintegration centres in Musanze", "the plan's input is kept")
        self.shot("plan-problems")
        self.set_value("a0_start", day(60))
        self.set_value("a0_end", day(64))
        self.click(b.find_element(By.ID, "save-plan"))
        self.check("The plan was saved as a new version." in self.text(), "the plan is saved")
        self.shot("plan-saved")

        print("walk: the official uploads the plan file and submits it")
        plan = {"activities": [
                    {"instrument": "study-visit", "title": "Reintegration centres in Musanze", "start": day(60), "end": day(64),
                     "place": "Musanze, Rwanda", "participants": [
                         {"name": "Amani Kabila", "institution": "UEPN-DDRCS", "country": "COD", "role": "visitor"},
                         {"name": "Claire Uwase", "institution": "RDRC", "country": "RWA", "role": "host"}]},
                    {"instrument": "videoconference", "title": "Follow-up call", "start": day(90), "end": day(90),
                     "link": "https://meet.example.org/ddr", "participants": [
                         {"name": "Claire Uwase", "institution": "RDRC", "country": "RWA", "role": "expert"}]}],
                "budget": [{"category": "travel", "description": "Flights and stay for twelve", "amount_minor": 2000000,
                            "currency": "USD", "paid_by": "grant"},
                           {"category": "venue", "description": "Meeting room in Goma", "amount_minor": 150000,
                            "currency": "USD", "paid_by": "co-financing"}],
                "instalments": [70, 30]}
        path = os.path.join(self.work, "plan.json")
        with open(path, "w") as out:
            json.dump(plan, out)
        b.find_element(By.ID, "plan-file").send_keys(path)
        self.click(b.find_element(By.ID, "upload-plan"))
        self.check("Follow-up call" in self.text() and "Plan version 2" in self.text(), "the uploaded plan is version 2")
        self.shot("plan-uploaded")
        self.click(b.find_element(By.ID, "submit-plan"))
        self.check("The plan was submitted for funding." in self.text(), "the plan is submitted")
        self.check(self.wait_for_state(exchange, {"funding-review"}) == "funding-review", "the exchange is in funding review")

        print("walk: the grant is approved, disbursed and paid (API); the official follows it")
        grant = self.api("GET", f"/api/v1/grants/{exchange}", self.manager)["id"]
        self.api("POST", f"/api/v1/grants/{grant}/votes", approver, {"approve": True, "comment": "fits the mandate"})
        self.api("POST", f"/api/v1/grants/{grant}/disbursements", finance,
                 {"beneficiary": "Tresor Public Kinshasa", "iban": "GB82 WEST 1234 5698 7654 32"})
        self.go(f"/exchanges/{exchange}/grant")
        text = self.text()
        self.check("US$20,000.00" in text and "US$14,000.00" in text and "US$6,000.00" in text, "the grant and its instalments")
        self.check(all(secret not in b.page_source for secret in ("GB82", "WEST", "Tresor", "Kinshasa")), "no bank details on the grant page")
        self.shot("grant-disbursed")
        request = urllib.request.Request(BASE + "/api/v1/payments/exports", data=b"", method="POST",
                                         headers={"Authorization": f"Bearer {finance}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            message_id, xml = answer.headers["Meridian-Message-Id"], answer.read().decode()
        end_to_end = re.search(r"<EndToEndId>([^<]+)</EndToEndId>", xml).group(1)
        status = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-WALK</MsgId><CreDtTm>2026-11-29T10:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>{message_id}-1</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>{end_to_end}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"""
        request = urllib.request.Request(BASE + "/api/v1/payments/reconciliations", data=status.encode(), method="POST",
                                         headers={"Authorization": f"Bearer {finance}", "Content-Type": "application/xml"})
        urllib.request.urlopen(request, timeout=30).read()
        self.check(self.wait_for_state(exchange, {"implementation"}) == "implementation", "paid: the exchange is in implementation")
        self.go(f"/exchanges/{exchange}/grant")
        self.check("Paid" in self.text(), "the grant page shows the first instalment paid")
        self.shot("grant-paid")

        print("walk: the official sends the results report")
        self.go(f"/exchanges/{exchange}")
        self.click_link("report-link")
        b.find_element(By.ID, "actual0").send_keys("many")
        self.click(b.find_element(By.ID, "submit-report"))
        problems = {p.get_attribute("id") for p in b.find_elements(By.CSS_SELECTOR, "p.problem")}
        self.check({"actual0-problem", "outcomes-problem", "lessons-problem", "feedback_requesting-problem"} <= problems,
                   f"the invalid report shows each problem at its field ({sorted(problems)})")
        self.check(b.find_element(By.ID, "actual0").get_attribute("value") == "many", "the report's input is kept")
        self.shot("report-problems")
        actual = b.find_element(By.ID, "actual0")
        actual.clear()
        actual.send_keys("31")
        b.find_element(By.ID, "outcome-new-knowledge").send_keys("The commission learned how Rwanda runs community reintegration committees")
        b.find_element(By.ID, "lessons").send_keys("Reintegration committees need a budget line of their own.")
        b.find_element(By.ID, "feedback_requesting").send_keys("Practices we could adapt at once.")
        b.find_element(By.ID, "feedback_partner").send_keys("Good questions sharpened our own review.")
        self.click(b.find_element(By.ID, "submit-report"))
        self.check("The results report was submitted" in self.text(), "the results report is submitted")
        self.check(self.wait_for_state(exchange, {"results-review"}) == "results-review", "the exchange is in results review")
        self.shot("report-submitted")

    def set_value(self, element_id, value):
        """Sets a date input's value as the form sends it (typing depends on the browser's locale)."""
        self.browser.execute_script("arguments[0].value = arguments[1]", self.browser.find_element(By.ID, element_id), value)

    def click_link(self, element_id):
        self.click(self.browser.find_element(By.ID, element_id))

    def close(self):
        for step in (lambda: self.browser.quit(), lambda: self.server.terminate(), lambda: self.server.wait(20),
                     lambda: subprocess.run([self.binary, "db", "stop"], cwd=ROOT, env=self.env, capture_output=True)):
            try:
                step()
            except Exception:
                pass


def main():
    binary = meridian_binary()
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.endswith(".png"):
            os.remove(os.path.join(SHOTS, old))
    work = tempfile.mkdtemp(prefix="meridian-walk-")
    os.chmod(work, 0o755)
    walk = Walk(binary, work)
    try:
        walk.setup()
        walk.open_browser()
        walk.run()
    except Exception as error:
        walk.failures.append(f"{type(error).__name__}: {error}")
        print(f"walk: stopped: {error}", file=sys.stderr)
    finally:
        walk.close()
        if walk.failures and os.path.exists(os.path.join(work, "serve.log")):
            print("walk: the server's log ends with:", file=sys.stderr)
            print("".join(open(os.path.join(work, "serve.log")).readlines()[-20:]), file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    print(f"walk: {walk.shots} pages photographed at 1280 and 390 px into {SHOTS}")
    if walk.failures:
        print(f"walk: {len(walk.failures)} check(s) failed:", *walk.failures, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print("walk: every check held")


if __name__ == "__main__":
    main()
