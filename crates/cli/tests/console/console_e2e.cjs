// End-to-end test of OpenTrail's web console in headless Chromium (issue 9, point 8).
//
// Run by crates/cli/tests/console.rs, which starts `opentrail serve` with generated
// history, a trail with Insights, an event data store and one Insights event, then runs
// `node console_e2e.cjs` with this environment:
//
//   OPENTRAIL_ENDPOINT           http://127.0.0.1:PORT
//   OPENTRAIL_ACCESS_KEY_ID      the admin key (account 111111111111)
//   OPENTRAIL_SECRET_ACCESS_KEY
//   OPENTRAIL_DATA_DIR           the server's data directory (local buckets in buckets/)
//   OPENTRAIL_SCREENSHOTS        the folder for the screenshots (made if missing)
//   OPENTRAIL_EVENT_NAME         an event name of the generated history
//   OPENTRAIL_EVENT_COUNT        how many events of that name there are
//   OPENTRAIL_STORE_ID           the event data store Lake queries
//   OPENTRAIL_INSIGHT_EVENT_ID   the Insights event's ID
//   OPENTRAIL_INSIGHT_CONTRIBUTOR  the ARN that made the Insight's burst
//   OPENTRAIL_CONSOLE_STEPS      optional: a comma-separated list of the steps to run
//                                (signing in always runs), for working on one page
//
// Each step prints `ok - <step>`; a full-page PNG of every page visited goes to the
// screenshots folder, numbered in order. The first failed check prints what went wrong,
// the page's URL and saves `NN-FAILED-<step>.png`, and the exit code is 1.
"use strict";

const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const ENDPOINT = required("OPENTRAIL_ENDPOINT");
const KEY_ID = required("OPENTRAIL_ACCESS_KEY_ID");
const SECRET = required("OPENTRAIL_SECRET_ACCESS_KEY");
const DATA_DIR = required("OPENTRAIL_DATA_DIR");
const SCREENSHOTS = required("OPENTRAIL_SCREENSHOTS");
const EVENT_NAME = required("OPENTRAIL_EVENT_NAME");
const EVENT_COUNT = Number(required("OPENTRAIL_EVENT_COUNT"));
const STORE_ID = required("OPENTRAIL_STORE_ID");
const INSIGHT_EVENT_ID = required("OPENTRAIL_INSIGHT_EVENT_ID");
const INSIGHT_CONTRIBUTOR = required("OPENTRAIL_INSIGHT_CONTRIBUTOR");

// The bar: "Page weight of any page ≤ 300 KB".
const MAX_PAGE_BYTES = 300 * 1024;
// The columns of a CSV download (`Column::ALL` in crates/console/src/pages/events.rs).
const CSV_HEADER =
  "eventTime,username,eventName,resourceType,resourceName,eventSource,accessKeyId," +
  "sourceIPAddress,errorCode,readOnly,awsRegion,eventCategory,eventID";
// The trail the browser creates, and its bucket (a local directory the test made).
const NEW_TRAIL = "console-trail";
const NEW_TRAIL_BUCKET = "console-trail-bucket";
// Playwright's wait for any one thing.
const TIMEOUT_MS = 15000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`console_e2e: the environment variable ${name} is not set`);
    process.exit(2);
  }
  return value;
}

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CheckFailed(message);
  }
}

const state = {
  shots: 0,
  weights: [],
  consoleErrors: [],
  // URL → promise of the body's length in bytes, for every response the pages got.
  sizes: new Map(),
};

async function screenshot(page, name) {
  state.shots += 1;
  const file = path.join(SCREENSHOTS, `${String(state.shots).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Records and checks the page's weight: its HTML plus every stylesheet, script and
// image it references, as a browser with an empty cache would fetch them.
async function weigh(page, name) {
  const url = page.url();
  let html = await state.sizes.get(url);
  if (html == null) {
    html = (await (await page.request.get(url)).body()).length;
  }
  const assetUrls = await page.evaluate(() =>
    [
      ...Array.from(document.querySelectorAll("link[rel=stylesheet][href]"), (node) => node.href),
      ...Array.from(document.querySelectorAll("script[src]"), (node) => node.src),
      ...Array.from(document.querySelectorAll("img[src]"), (node) => node.src),
    ].filter((href) => !href.startsWith("data:")),
  );
  let assets = 0;
  for (const assetUrl of new Set(assetUrls)) {
    let size = await state.sizes.get(assetUrl);
    if (size == null) {
      size = (await (await page.request.get(assetUrl)).body()).length;
    }
    assets += size;
  }
  const total = html + assets;
  state.weights.push({ page: name, url, path: new URL(url).pathname, html, assets, total });
  check(total <= MAX_PAGE_BYTES, `${name} weighs ${total} bytes, over the ${MAX_PAGE_BYTES}-byte bar`);
}

// Screenshot and weight of the page as it is now.
async function record(page, name) {
  await screenshot(page, name);
  await weigh(page, name);
}

function watch(page) {
  page.on("response", (response) => {
    const status = response.status();
    if (status >= 300 && status < 400) {
      return;
    }
    state.sizes.set(
      response.url(),
      response.body().then(
        (body) => body.length,
        () => null,
      ),
    );
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (response.status() < 400) {
      return;
    }
    if (response.status() === 401 && url.pathname === "/console/signin") {
      return; // the wrong secret, on purpose
    }
    state.consoleErrors.push(`${response.request().method()} ${response.url()} answered ${response.status()}`);
  });
  page.on("console", (message) => {
    if (message.type() !== "error") {
      return;
    }
    // Failed loads are judged by the response listener above, which knows their URL and
    // which are expected; the rest (the browser's own /favicon.ico) are not the page's.
    if (/^Failed to load resource/.test(message.text())) {
      return;
    }
    state.consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => state.consoleErrors.push(`${page.url()}: ${error.message}`));
  // Forms with data-confirm ask first; the test says yes.
  page.on("dialog", (dialog) => dialog.accept());
  page.setDefaultTimeout(TIMEOUT_MS);
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function headings(page) {
  return page.locator("main h1, main h2").allTextContents();
}

// The cells of the `#events` table's rows in the column headed `label`.
async function columnTexts(page, label) {
  const labels = (await page.locator("#events thead th").allTextContents()).map((text) => text.trim());
  const index = labels.indexOf(label);
  check(index >= 0, `no "${label}" column in #events: ${labels.join(", ")}`);
  return page.locator(`#events tbody tr td:nth-child(${index + 1})`).allTextContents();
}

// (1) Sign-in: a protected page redirects; a wrong secret is refused; the keyboard reaches
// the button; the admin key gets in.
async function signIn(page) {
  await page.goto(`${ENDPOINT}/console/`);
  check(pathOf(page) === "/console/signin", `/console/ did not redirect to sign-in: ${page.url()}`);
  check(new URL(page.url()).searchParams.get("next") === "/console/", `next is not /console/: ${page.url()}`);
  await page.locator("#access_key_id").waitFor();
  await record(page, "signin");

  // Keyboard: from the first field, Tab reaches the secret and then the button.
  await page.locator("#access_key_id").focus();
  await page.keyboard.press("Tab");
  check(
    (await page.evaluate(() => document.activeElement.id)) === "secret_access_key",
    "Tab from the access key ID did not reach the secret",
  );
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => [document.activeElement.tagName, document.activeElement.textContent.trim()]);
  check(focused[0] === "BUTTON" && focused[1] === "Sign in", `Tab from the secret reached ${focused.join(" ")}`);

  await page.locator("#access_key_id").fill(KEY_ID);
  await page.locator("#secret_access_key").fill("not-the-secret");
  await page.getByRole("button", { name: "Sign in" }).click();
  const error = page.locator(".notice.error");
  await error.waitFor();
  check(/not valid/.test(await error.textContent()), `the wrong secret's notice: ${await error.textContent()}`);
  check(pathOf(page) === "/console/signin", `a wrong secret left the sign-in page: ${page.url()}`);
  await screenshot(page, "signin-refused");

  // The right secret, typed and sent with Enter (the key ID is filled in again).
  check((await page.locator("#access_key_id").inputValue()) === KEY_ID, "the access key ID was not kept");
  await page.locator("#secret_access_key").fill(SECRET);
  await Promise.all([page.waitForURL((url) => url.pathname !== "/console/signin"), page.keyboard.press("Enter")]);
  check(pathOf(page) === "/console/", `signing in landed on ${page.url()}, not the dashboard`);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  const title = (await page.locator("main h1").textContent()).trim();
  check(title === "Dashboard", `the page after signing in is "${title}"`);
  check((await page.locator("main svg.chart").count()) > 0, "the dashboard has no chart");
  await record(page, "dashboard");
}

// (2) Event history filtered by event name.
async function filterHistory(page) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Event history" }).click();
  await page.waitForURL((url) => url.pathname === "/console/events");
  await page.locator("#events").waitFor();
  await record(page, "events");

  await page.locator("#attr0").selectOption({ label: "Event name" });
  await page.locator("#value0").fill(EVENT_NAME);
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get("value") === EVENT_NAME),
    page.getByRole("button", { name: "Apply" }).click(),
  ]);
  const names = await columnTexts(page, "Event name");
  check(names.length === Math.min(50, EVENT_COUNT), `${names.length} rows, expected ${Math.min(50, EVENT_COUNT)}`);
  check(
    names.every((name) => name.trim() === EVENT_NAME),
    `rows of other events: ${[...new Set(names)].join(", ")}`,
  );
  if (EVENT_COUNT > 50) {
    check((await page.getByRole("link", { name: "Next page" }).count()) === 1, "no Next page link");
  }
  await record(page, "events-filtered");
}

// (3) One record.
async function openRecord(page) {
  const link = page.locator('#events tbody tr:first-child a[href^="/console/events/"]').first();
  const href = await link.getAttribute("href");
  const eventId = decodeURIComponent(href.split("/").pop());
  await Promise.all([page.waitForURL((url) => url.pathname === href), link.click()]);
  const titles = await headings(page);
  for (const heading of ["Details", "Resources referenced", "Event record"]) {
    check(titles.includes(heading), `the record page lacks "${heading}": ${titles.join(" | ")}`);
  }
  const json = await page.locator("pre.json").textContent();
  const parsed = JSON.parse(json);
  check(parsed.eventID === eventId, `the record's eventID is ${parsed.eventID}, not ${eventId}`);
  check(parsed.eventName === EVENT_NAME, `the record's eventName is ${parsed.eventName}`);
  await record(page, "record");
}

// (4) The filtered history as CSV (and JSON).
async function download(page) {
  await page.goBack();
  await page.locator("#events").waitFor();
  check(new URL(page.url()).searchParams.get("value") === EVENT_NAME, `back is not the filtered history: ${page.url()}`);

  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  check(/\.csv$/.test(csvDownload.suggestedFilename()), `CSV file name ${csvDownload.suggestedFilename()}`);
  const csv = fs.readFileSync(await csvDownload.path(), "utf8");
  const lines = csv.split(/\r?\n/).filter((line) => line !== "");
  check(lines[0] === CSV_HEADER, `the CSV header is ${lines[0]}`);
  check(lines.length - 1 === EVENT_COUNT, `the CSV has ${lines.length - 1} rows, expected ${EVENT_COUNT}`);
  check(
    lines.slice(1).every((line) => line.split(",")[2] === EVENT_NAME),
    "the CSV holds rows of other events",
  );

  const [jsonDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download JSON" }).click(),
  ]);
  const records = JSON.parse(fs.readFileSync(await jsonDownload.path(), "utf8")).Records;
  check(records.length === EVENT_COUNT, `the JSON download has ${records.length} records`);
  check(records.every((one) => one.eventName === EVENT_NAME), "the JSON download holds other events");
}

// Every page visited so far, at a phone's width: nothing wider than the screen. The
// event history's screenshot is kept.
async function phoneWidth(context) {
  const phone = await context.newPage();
  watch(phone);
  await phone.setViewportSize({ width: 390, height: 844 });
  const seen = new Set();
  const overflowing = [];
  for (const { page: name, url } of state.weights) {
    if (seen.has(url) || name === "signin") {
      continue;
    }
    seen.add(url);
    await phone.goto(url);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390 + 1) {
      overflowing.push(`${name} (${new URL(url).pathname}) is ${width} px wide`);
      await screenshot(phone, `phone-overflow-${name}`);
    }
    if (name === "events-filtered") {
      await screenshot(phone, "events-phone");
    }
  }
  await phone.close();
  check(overflowing.length === 0, `at a 390 px phone width: ${overflowing.join("; ")}`);
}

// (5) Trails: create one through the form to a local bucket; it is listed and logging,
// and its first log file reaches the bucket.
async function createTrail(page) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Trails" }).click();
  await page.waitForURL((url) => url.pathname === "/console/trails");
  await page.locator("#trails").waitFor();
  await record(page, "trails");

  await page.getByRole("link", { name: "Create trail" }).click();
  await page.waitForURL((url) => url.pathname === "/console/trails/new");
  await page.locator("#trail-form").waitFor();
  await page.locator("#name").fill(NEW_TRAIL);
  await page.locator("#bucket").fill(NEW_TRAIL_BUCKET);
  check(await page.locator("#start_logging").isChecked(), "Start logging now is not ticked by default");
  await record(page, "trail-new");
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/console/trails/new"),
    page.getByRole("button", { name: "Create trail" }).click(),
  ]);
  const failure = await page.locator(".notice.error").allTextContents();
  check(failure.length === 0, `creating the trail failed: ${failure.join(" ")}`);
  await screenshot(page, "trail-created");

  await page.goto(`${ENDPOINT}/console/trails`);
  const row = page.locator("#trails tbody tr", { has: page.getByRole("link", { name: NEW_TRAIL, exact: true }) });
  check((await row.count()) === 1, `${NEW_TRAIL} is not listed`);
  const rowText = await row.textContent();
  check(rowText.includes(NEW_TRAIL_BUCKET), `the row does not name the bucket: ${rowText}`);
  check((await row.locator(".badge", { hasText: /^Logging$/ }).count()) === 1, `${NEW_TRAIL} is not logging: ${rowText}`);
  await record(page, "trails-listed");

  // Its first log file (the console's own CreateTrail call is an event it logs).
  const logs = path.join(DATA_DIR, "buckets", NEW_TRAIL_BUCKET, "AWSLogs");
  const deadline = Date.now() + TIMEOUT_MS;
  while (!findFile(logs, (name) => name.endsWith(".json.gz"))) {
    check(Date.now() < deadline, `no log file of ${NEW_TRAIL} under ${logs} within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await row.getByRole("link", { name: NEW_TRAIL, exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/console/trails/${NEW_TRAIL}`);
  const status = page.locator("#status");
  await status.waitFor();
  check((await status.locator(".badge", { hasText: /^Logging$/ }).count()) === 1, "the trail's page does not say Logging");
  const delivered = await status
    .locator("dt", { hasText: "Last log file delivered" })
    .locator("xpath=following-sibling::dd[1]")
    .textContent();
  check(/^\d{4}-\d\d-\d\d /.test(delivered.trim()), `the trail's page gives no last delivery: ${delivered}`);
  await record(page, "trail");
}

// Whether a file under `dir` (recursively) has a name `wanted` accepts.
function findFile(dir, wanted) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((entry) =>
    entry.isDirectory() ? findFile(path.join(dir, entry.name), wanted) : wanted(entry.name),
  );
}

// (6) Lake: from the store's page to the editor, run the query it offers, see it finish
// with a results table and a chart.
async function lakeQuery(page) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Event data stores" }).click();
  await page.waitForURL((url) => url.pathname === "/console/stores");
  await page.locator("#stores").waitFor();
  check((await page.locator("#stores tbody").textContent()).includes(STORE_ID), `the store ${STORE_ID} is not listed`);
  await record(page, "stores");
  await page.locator(`#stores tbody a[href="/console/stores/${STORE_ID}"]`).click();
  await page.waitForURL((url) => url.pathname === `/console/stores/${STORE_ID}`);
  await record(page, "store");

  await page.getByRole("link", { name: "Query this store" }).click();
  await page.waitForURL((url) => url.pathname === "/console/lake" && url.searchParams.get("store") === STORE_ID);
  const sql = await page.locator("#sql").inputValue();
  check(sql.includes(STORE_ID), `the editor's SQL does not name the store: ${sql}`);
  await record(page, "lake-editor");

  await Promise.all([
    page.waitForURL((url) => url.pathname.startsWith("/console/lake/queries/")),
    page.getByRole("button", { name: "Run query" }).click(),
  ]);
  // The page reloads itself until the query ends.
  await page.locator("#query-status .badge", { hasText: /^(FINISHED|FAILED|CANCELLED|TIMED_OUT)$/ }).waitFor({ timeout: 30000 });
  const status = (await page.locator("#query-status .badge").textContent()).trim();
  const message = await page.locator(".notice.error").allTextContents();
  check(status === "FINISHED", `the query ended ${status}: ${message.join(" ")}`);
  const rows = await page.locator("#results tbody tr").count();
  check(rows > 0, "the results table has no rows");
  check((await page.locator("#results-chart svg.chart").count()) === 1, "no chart of the results");
  await record(page, "lake-results");

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#results").locator("xpath=ancestor::section").getByRole("link", { name: "Download CSV" }).click(),
  ]);
  const lines = fs.readFileSync(await csv.path(), "utf8").split(/\r?\n/).filter((line) => line !== "");
  const columns = (await page.locator("#results thead th").allTextContents()).map((text) => text.trim());
  check(lines[0] === columns.join(","), `the results CSV header ${lines[0]} is not ${columns.join(",")}`);
  check(lines.length - 1 >= rows, `the results CSV has ${lines.length - 1} rows, the page shows ${rows}`);
}

// (7) Insights: the list, then the insight with its rate chart and top contributors.
async function openInsight(page) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Insights" }).click();
  await page.waitForURL((url) => url.pathname === "/console/insights");
  await page.locator("#insights").waitFor();
  const link = page.locator("#insights tbody tr a", { hasText: "RunInstances" }).first();
  check((await link.count()) === 1, `the Insight is not listed: ${await page.locator("#insights tbody").textContent()}`);
  await record(page, "insights");

  const href = await link.getAttribute("href");
  await Promise.all([page.waitForURL((url) => href.startsWith(url.pathname)), link.click()]);
  check((await page.locator("#insight-chart svg.chart").count()) === 1, "no rate chart on the Insight's page");
  const titles = await headings(page);
  check(titles.includes("Top contributors"), `no Top contributors: ${titles.join(" | ")}`);
  const contributors = await page.locator("#contributors-userIdentityArn").textContent();
  check(contributors.includes(INSIGHT_CONTRIBUTOR), `${INSIGHT_CONTRIBUTOR} is not a top contributor: ${contributors}`);
  const records = await page.locator("details[id^=record-] summary").allTextContents();
  check(
    records.some((summary) => summary.includes(INSIGHT_EVENT_ID)),
    `the Insights event ${INSIGHT_EVENT_ID} is not among ${records.join(" | ")}`,
  );
  await record(page, "insight");
}

// (8) Sign out; a protected page sends back to sign-in.
async function signOut(page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/console/signin"),
    page.getByRole("button", { name: "Sign out" }).click(),
  ]);
  await page.locator("#access_key_id").waitFor();
  await screenshot(page, "signed-out");
  await page.goto(`${ENDPOINT}/console/events?attr=EventName&value=${EVENT_NAME}`);
  check(pathOf(page) === "/console/signin", `after signing out /console/events showed ${page.url()}`);
  const response = await page.request.get(`${ENDPOINT}/console/trails`, { maxRedirects: 0 });
  check(response.status() === 303, `after signing out /console/trails answered ${response.status()}`);
  check(/^\/console\/signin/.test(response.headers()["location"] || ""), "no redirect to sign-in");
}

async function main() {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const only = (process.env.OPENTRAIL_CONSOLE_STEPS || "").split(",").filter(Boolean);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    // Without the background-networking flags Chromium's own connections are refused
    // on a closed network and slow everything down.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  watch(page);
  const steps = [
    ["sign in", () => signIn(page)],
    ["filter the event history", () => filterHistory(page)],
    ["open a record", () => openRecord(page)],
    ["download CSV and JSON", () => download(page)],
    ["create a trail", () => createTrail(page)],
    ["run a Lake query", () => lakeQuery(page)],
    ["open an insight", () => openInsight(page)],
    ["phone width", () => phoneWidth(context)],
    ["sign out", () => signOut(page)],
  ];
  let failed = false;
  for (const [name, run] of steps) {
    if (only.length > 0 && !only.includes(name) && name !== "sign in") {
      continue;
    }
    const started = Date.now();
    try {
      await run();
      console.log(`ok - ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed = true;
      console.log(`FAILED - ${name}: ${error instanceof CheckFailed ? error.message : error.stack}`);
      console.log(`  at ${page.url()}`);
      const file = await screenshot(page, `FAILED-${name.replace(/\W+/g, "-")}`).catch(() => "(none)");
      console.log(`  screenshot ${file}`);
      break;
    }
  }
  if (!failed && state.consoleErrors.length > 0) {
    failed = true;
    console.log(`FAILED - the browser reported errors:\n  ${state.consoleErrors.join("\n  ")}`);
  }
  console.log("page weights (HTML + CSS + JS + images, bytes):");
  for (const weight of state.weights) {
    console.log(`  ${weight.page.padEnd(18)} ${String(weight.total).padStart(7)}  (HTML ${weight.html}, assets ${weight.assets})  ${weight.path}`);
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error.stack || error);
  process.exit(1);
});
