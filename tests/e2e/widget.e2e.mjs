// End-to-end test of the Kringwijs widget in Debian's headless chromium.
//
// Run by tests/api/test_widget_e2e.py, which starts the API and a host page on another
// origin and passes them in the environment:
//   HOST_URL        page on the "province" origin that carries the widget tag
//   API_URL         the Kringwijs server (for reference in the report)
//   SHOT_DIR        where widget-open.png / widget-answer.png are written
//   XSS_QUESTION    a question whose answer quotes the document with the XSS payload
//   FEEDBACK_NOTE   the comment given with the thumbs-down
//   FAILURE_SHOT    where a screenshot goes when a check fails
//   PROCUREMENT_QUESTION  a question that gets criteria cards
// Prints one JSON line with the results; exits 1 on the first failed check.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const env = (name, fallback) => process.env[name] ?? fallback;
const HOST_URL = env("HOST_URL");
const SHOT_DIR = env("SHOT_DIR", ".");
const QUESTION = env("QUESTION", "Hoeveel geld gaat er in 2026 naar VTH?");
const XSS_QUESTION = env("XSS_QUESTION");
const NOTE = env("FEEDBACK_NOTE", "Graag ook het bedrag voor 2027 noemen.");
const PROCUREMENT_QUESTION = env("PROCUREMENT_QUESTION", "Welke eisen kan ik stellen bij de inkoop van laptops?");
const TIMEOUT = Number(env("STEP_TIMEOUT_MS", "60000"));

const report = { steps: [], axe: [], consoleErrors: [] };
function step(name, detail) {
  report.steps.push(detail === undefined ? name : { name, ...detail });
}
function check(ok, message) {
  if (!ok) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT);
page.on("pageerror", (err) => report.consoleErrors.push(String(err)));
page.on("console", (msg) => {
  if (msg.type() === "error") report.consoleErrors.push(msg.text());
});
const streamed = [];
page.on("response", (r) => {
  if (r.url().includes("/api/v1/ask/stream")) streamed.push(r.headers()["content-type"] || "");
});

// Everything in the widget lives in its (open) shadow root; Playwright CSS locators pierce it.
const w = (sel) => page.locator(`kringwijs-widget ${sel}`);
const activeInWidget = () =>
  page.evaluate(() => {
    const host = document.querySelector("kringwijs-widget");
    const el = document.activeElement === host ? host.shadowRoot.activeElement : null;
    return el ? { cls: el.className, id: el.id, tag: el.tagName, outline: getComputedStyle(el).outlineStyle } : null;
  });
const lastAnswer = () => w(".kw-log article.kw-bot:not([aria-busy])").last();

async function runAxe(label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  report.axe.push({ label, violations: result.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(", ")}`), serious_or_critical: bad });
  check(bad.length === 0, `axe (${label}): ${JSON.stringify(bad)}`);
}

async function ask(question) {
  const before = await w(".kw-log article.kw-bot").count();
  await w("#kw-input").focus();
  await page.keyboard.type(question);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    (n) => {
      const root = document.querySelector("kringwijs-widget").shadowRoot;
      const done = root.querySelectorAll(".kw-log article.kw-bot:not([aria-busy])");
      return done.length > n;
    },
    before,
    { timeout: TIMEOUT },
  );
  return lastAnswer();
}

try {
  await page.goto(HOST_URL, { waitUntil: "load" });
  await page.waitForSelector("kringwijs-widget", { state: "attached" });
  const launcherBg = await w(".kw-launcher").evaluate((el) => getComputedStyle(el).backgroundColor);
  check(launcherBg === "rgb(166, 0, 28)", `host CSS reached the widget: launcher background ${launcherBg}`);
  step("host page loaded; host CSS does not reach the shadow DOM");

  // --- open with the keyboard -------------------------------------------
  let focused = null;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    focused = await activeInWidget();
    if (focused && focused.cls.includes("kw-launcher")) break;
  }
  check(focused && focused.cls.includes("kw-launcher"), "launcher not reachable with Tab");
  check(focused.outline !== "none", "launcher has no visible focus outline");
  await page.keyboard.press("Enter");
  await w(".kw-panel").waitFor({ state: "visible" });
  focused = await activeInWidget();
  check(focused && focused.id === "kw-input", `focus after opening is on ${JSON.stringify(focused)}`);
  check((await w(".kw-log").getAttribute("aria-live")) === "polite", "answer log is not an aria-live region");
  check((await w(".kw-panel").getAttribute("role")) === "dialog", "panel has no dialog role");
  step("opened with Tab + Enter; focus in the question field; visible focus");
  await page.screenshot({ path: path.join(SHOT_DIR, "widget-open.png") });
  await runAxe("open panel");

  // --- ask and see the streamed answer with a citation -----------------
  const answer = await ask(QUESTION);
  const text = await answer.locator(".kw-text").textContent();
  check(text.includes("400.000"), `answer lacks 400.000: ${text}`);
  check(streamed.length > 0 && streamed[0].startsWith("text/event-stream"), `not streamed: ${streamed}`);
  const cite = answer.locator("a.kw-cite").first();
  check((await cite.count()) === 1, "no citation link");
  const citeText = await cite.textContent();
  step("streamed answer with citation", { answer: text, citation: citeText });
  await page.screenshot({ path: path.join(SHOT_DIR, "widget-answer.png") });

  // --- citation opens the passage ----------------------------------------
  await cite.click();
  const cited = w(".kw-source .kw-cited");
  await cited.waitFor({ state: "visible" });
  const passage = await cited.textContent();
  check(passage.includes("400.000"), `cited passage lacks the amount: ${passage}`);
  await runAxe("source passage");
  await page.keyboard.press("Escape");
  await w(".kw-body").waitFor({ state: "visible" });
  step("citation opens the cited passage; Escape returns", { passage });

  // --- thumbs down with a comment -----------------------------------------
  await answer.locator(".kw-down").click();
  check((await answer.locator(".kw-down").getAttribute("aria-pressed")) === "true", "thumbs-down not pressed");
  await answer.locator(".kw-fb textarea").fill(NOTE);
  await answer.locator(".kw-fb-send").click();
  await page.waitForFunction(() =>
    document.querySelector("kringwijs-widget").shadowRoot.querySelector(".kw-status").textContent.includes("toelichting"),
  );
  const answerId = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith("kringwijs:"));
    const msgs = JSON.parse(sessionStorage.getItem(key)).messages;
    return msgs.filter((m) => m.role === "assistant").pop().answer_id;
  });
  report.feedback_answer_id = answerId;
  step("thumbs-down with comment sent", { answer_id: answerId });

  // --- follow-up uses the conversation; it survives a reload -------------
  const follow = await ask("En in 2025?");
  const followText = await follow.locator(".kw-text").textContent();
  check(followText.includes("300.000"), `follow-up lost its context: ${followText}`);
  await page.reload({ waitUntil: "load" });
  await w(".kw-panel").waitFor({ state: "visible" });
  const restored = await w(".kw-log .kw-msg").count();
  check(restored === 4, `conversation not kept for the tab session (${restored} messages)`);
  step("follow-up answered from history; conversation restored after reload", { follow_up: followText });

  // --- XSS payload in a document is shown as text, never run -------------
  await w(".kw-new").click();
  check((await w(".kw-log .kw-msg").count()) === 0, "Nieuw gesprek did not clear the conversation");
  const xss = await ask(XSS_QUESTION);
  const xssText = await xss.locator(".kw-text").textContent();
  check(/<img src=x|<script>/.test(xssText), `XSS document not quoted, question did not reach it: ${xssText}`);
  await xss.locator("a.kw-cite").first().click();
  await w(".kw-source .kw-passage").first().waitFor({ state: "visible" });
  const sourceText = await w(".kw-source").textContent();
  await page.waitForTimeout(500); // an <img onerror> would have fired by now
  const xssState = await page.evaluate(() => {
    const root = document.querySelector("kringwijs-widget").shadowRoot;
    return {
      flag: window.__xss,
      stripped: window.xss,
      imgs: root.querySelectorAll("img").length,
      scripts: root.querySelectorAll("script").length,
      pageImgs: document.querySelectorAll("img[src=x]").length,
    };
  });
  check(xssState.flag === undefined && xssState.stripped === undefined, `XSS ran: ${JSON.stringify(xssState)}`);
  check(xssState.imgs === 0 && xssState.scripts === 0 && xssState.pageImgs === 0, `markup injected: ${JSON.stringify(xssState)}`);
  check(sourceText.includes("<script>") || sourceText.includes("<img"), "passage view did not show the payload as text");
  step("XSS payload rendered as text and not executed", { answer: xssText });
  await page.keyboard.press("Escape");

  // --- procurement question: criteria cards -----------------------------
  const proc = await ask(PROCUREMENT_QUESTION);
  const groups = proc.locator(".kw-criteria details");
  check((await groups.count()) > 0, "no criteria groups for a procurement question");
  const firstCard = groups.first().locator(".kw-card").first();
  await firstCard.waitFor({ state: "visible" });
  const cardTitle = await firstCard.locator("h4").textContent();
  const second = groups.nth(1);
  if ((await groups.count()) > 1) {
    await second.locator("summary").focus();
    await page.keyboard.press("Enter"); // <summary> opens with the keyboard
    check(await second.evaluate((d) => d.open), "criteria group does not open with Enter");
  }
  step("criteria cards for a procurement question", { groups: await groups.count(), first: cardTitle });

  // --- 320 px wide -------------------------------------------------------
  await page.setViewportSize({ width: 320, height: 640 });
  await page.waitForTimeout(200);
  const box = await w(".kw-panel").boundingBox();
  const overflow = await w(".kw-panel").evaluate((el) => ({
    panel: el.scrollWidth - el.clientWidth,
    body: el.querySelector(".kw-body").scrollWidth - el.querySelector(".kw-body").clientWidth,
  }));
  check(box && box.x >= 0 && box.x + box.width <= 320.5, `panel does not fit 320 px: ${JSON.stringify(box)}`);
  check(overflow.panel <= 0 && overflow.body <= 0, `horizontal scrolling at 320 px: ${JSON.stringify(overflow)}`);
  const sendBox = await w(".kw-send").boundingBox();
  check(sendBox && sendBox.x + sendBox.width <= 320.5, "send button off screen at 320 px");
  await page.screenshot({ path: path.join(SHOT_DIR, "widget-mobile.png") });
  await runAxe("320 px");
  step("fits and works at 320 px", { panel: box });

  // --- Escape closes and gives focus back to the launcher ----------------
  await w("#kw-input").focus();
  await page.keyboard.press("Escape");
  await w(".kw-panel").waitFor({ state: "hidden" });
  focused = await activeInWidget();
  check(focused && focused.cls.includes("kw-launcher"), "focus did not return to the launcher");
  step("Escape closes; focus back on the launcher");

  const widgetErrors = report.consoleErrors.filter((e) => !e.includes("favicon"));
  check(widgetErrors.length === 0, `console errors: ${widgetErrors.join(" | ")}`);
  report.ok = true;
} catch (err) {
  report.ok = false;
  report.error = String(err && err.stack ? err.stack : err);
  try {
    await page.screenshot({ path: env("FAILURE_SHOT", path.join(SHOT_DIR, "widget-failure.png")) });
  } catch {
    /* the page may be gone */
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
