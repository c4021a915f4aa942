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
//   LINK_QUESTION   a question answered from the test document with web addresses and a literal "[1]"
//   LINK_DOC_ID     that document's id (for its /bron page)
// HOST_URL/inkopers.html carries the widget with data-audience="inkopers" and its own contact URL.
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
const API_URL = env("API_URL");
const LINK_QUESTION = env("LINK_QUESTION");
const LINK_DOC_ID = env("LINK_DOC_ID");
const STARTERS = {
  ondernemers: [
    "Welke subsidies zijn er voor circulaire ondernemers?",
    "Wat is de MIA/Vamil-regeling?",
    "Hoeveel geld is er in 2026 beschikbaar voor de uitvoeringsagenda?",
  ],
  inkopers: [
    "Welke circulaire eisen kan ik stellen bij laptops?",
    "Welke criteria zijn er voor catering?",
    "Welke eisen kan ik stellen bij bedrijfskleding?",
  ],
};
const PRIVACY_DEFAULT = "https://www.provincie-utrecht.nl/privacy";
const CONTACT_DEFAULT = "https://www.provincie-utrecht.nl/";

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

async function runAxe(label, on = page) {
  await on.evaluate(AXE);
  const result = await on.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  report.axe.push({ label, violations: result.map((v) => `${v.id} (${v.impact}): ${v.nodes.join(", ")}`), serious_or_critical: bad });
  check(result.length === 0, `axe (${label}): ${JSON.stringify(result)}`);
}

// Where the pane stands after an answer: the answer's top edge relative to the pane's.
const scrollState = (on = page) =>
  on.evaluate(() => {
    const root = document.querySelector("kringwijs-widget").shadowRoot;
    const body = root.querySelector(".kw-body");
    const answers = root.querySelectorAll(".kw-log article.kw-bot");
    const last = answers[answers.length - 1].getBoundingClientRect();
    return {
      offset: last.top - body.getBoundingClientRect().top,
      answerHeight: last.height,
      pane: body.clientHeight,
      scrollTop: body.scrollTop,
      maxScroll: body.scrollHeight - body.clientHeight,
    };
  });

function checkAnswerAtTop(s, label) {
  check(s.answerHeight > s.pane, `${label}: answer (${s.answerHeight}px) fits the pane (${s.pane}px); nothing to prove`);
  check(s.offset >= 0 && s.offset <= 16, `${label}: answer starts ${s.offset}px below the top of the pane`);
  check(s.scrollTop < s.maxScroll - 50, `${label}: pane scrolled to the bottom (${JSON.stringify(s)})`);
}

// The starter questions and the two configurable links, as the user sees them.
const widgetChrome = (on = page) =>
  on.evaluate(() => {
    const root = document.querySelector("kringwijs-widget").shadowRoot;
    const link = (sel) => {
      const a = root.querySelector(sel);
      return { text: a.textContent, href: a.href, rel: a.rel, target: a.target };
    };
    const box = root.querySelector(".kw-starters");
    return {
      starters: [...root.querySelectorAll(".kw-starter")].map((b) => b.textContent),
      startersVisible: !box.hidden && box.getBoundingClientRect().height > 0,
      contact: link(".kw-contact"),
      privacy: link(".kw-privacy"),
      privacyInline: link(".kw-privacy-inline"),
    };
  });

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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
  const chrome = await widgetChrome();
  check(chrome.startersVisible && sameList(chrome.starters, STARTERS.ondernemers), `starters: ${JSON.stringify(chrome)}`);
  check(chrome.contact.text === "Neem contact op" && chrome.contact.href === CONTACT_DEFAULT, `contact: ${JSON.stringify(chrome.contact)}`);
  for (const l of [chrome.privacy, chrome.privacyInline]) {
    check(l.href === PRIVACY_DEFAULT && l.rel === "noopener" && l.target === "_blank", `privacy link: ${JSON.stringify(l)}`);
  }
  step("three starter questions (ondernemers), contact and privacy links with their defaults", chrome);
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
  check(!(await widgetChrome()).startersVisible, "starter questions still shown after the first question");
  step("streamed answer with citation; starters gone", { answer: text, citation: citeText });
  await page.screenshot({ path: path.join(SHOT_DIR, "widget-answer.png") });

  // --- citation opens the passage ----------------------------------------
  await cite.click();
  const cited = w(".kw-source .kw-cited");
  await cited.waitFor({ state: "visible" });
  const passage = await cited.textContent();
  check(passage.includes("400.000"), `cited passage lacks the amount: ${passage}`);
  const count = await w(".kw-source .kw-passages > p.kw-meta").first().textContent();
  check(/^\d+ passages in dit document$/.test(count) && !count.startsWith("1 "), `passage count: ${count}`);
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
  check((await widgetChrome()).startersVisible, "starter questions not back after Nieuw gesprek");
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

  // --- web addresses become links; a literal "[1]" in the document stays text -------
  await w(".kw-new").click();
  const linked = await ask(LINK_QUESTION);
  const linkedText = await linked.locator(".kw-text").textContent();
  check(linkedText.includes("richtlijn [1] van"), `answer does not quote the document's own [1]: ${linkedText}`);
  const refs = await linked.locator(".kw-text a.kw-ref").allTextContents();
  check(refs.length === 1 && refs[0] === "[1]", `citation links in the answer: ${JSON.stringify(refs)} (${linkedText})`);
  const refAfterQuote = await linked.locator(".kw-text").evaluate((t) => {
    let before = "";
    for (let n = t.querySelector("a.kw-ref").previousSibling; n; n = n.previousSibling) before = n.textContent + before;
    return before.includes("richtlijn [1] van");
  });
  check(refAfterQuote, "the literal [1] became the link, not the marker after the quote");
  await linked.locator("a.kw-cite").first().click();
  const linkPassage = w(".kw-source .kw-cited");
  await linkPassage.waitFor({ state: "visible" });
  const anchors = await linkPassage.evaluate((d) =>
    [...d.querySelectorAll("a")].map((a) => ({ href: a.getAttribute("href"), text: a.textContent, rel: a.rel, target: a.target })),
  );
  check(
    sameList(anchors.map((a) => a.href), ["https://www.example.org/reiger", "http://reiger.example.nl/over"]) &&
      anchors.every((a) => a.rel === "noopener" && a.target === "_blank" && a.text === a.href),
    `passage links: ${JSON.stringify(anchors)}`,
  );
  check((await linkPassage.textContent()).includes("javascript:alert(1)"), "javascript: address not shown as text");
  const single = await w(".kw-source .kw-passages > p.kw-meta").first().textContent();
  check(single === "1 passage in dit document", `singular passage count: ${single}`);
  await runAxe("passage with links");
  step("passage addresses are links (http/https, rel=noopener); the document's own [1] is text", { answer: linkedText, anchors });
  await page.keyboard.press("Escape");

  // --- the /bron page: links and the singular -----------------------------------------
  const bron = await context.newPage();
  await bron.goto(`${API_URL}/bron/${encodeURIComponent(LINK_DOC_ID)}`, { waitUntil: "load" });
  const bronState = await bron.evaluate(() => ({
    meta: document.querySelector("p.m").textContent,
    links: [...document.querySelectorAll("section a")].map((a) => ({ href: a.getAttribute("href"), rel: a.rel })),
    text: document.body.textContent,
  }));
  check(bronState.meta.endsWith("1 passage in dit document"), `/bron count: ${bronState.meta}`);
  check(
    sameList(bronState.links.map((a) => a.href), ["https://www.example.org/reiger", "http://reiger.example.nl/over"]) &&
      bronState.links.every((a) => a.rel === "noopener"),
    `/bron links: ${JSON.stringify(bronState.links)}`,
  );
  check(bronState.text.includes("richtlijn [1] van") && bronState.text.includes("javascript:alert(1)"), "/bron text");
  await runAxe("/bron page", bron);
  await bron.close();
  step("/bron shows links and '1 passage'", bronState.links);

  // --- procurement question: criteria cards, read from the top ----------
  const proc = await ask(PROCUREMENT_QUESTION);
  const groups = proc.locator(".kw-criteria details");
  check((await groups.count()) > 0, "no criteria groups for a procurement question");
  const firstCard = groups.first().locator(".kw-card").first();
  await firstCard.waitFor({ state: "visible" });
  const cardTitle = await firstCard.locator("h3").textContent();
  const atTop = await scrollState();
  checkAnswerAtTop(atTop, "criteria answer");
  const summary = await groups.first().locator("summary").textContent();
  check(/\((1 criterium|\d+ criteria)\)$/.test(summary) && !/\(1 criteria\)/.test(summary), `group summary: ${summary}`);
  await page.screenshot({ path: path.join(SHOT_DIR, "widget-criteria.png") });
  const second = groups.nth(1);
  if ((await groups.count()) > 1) {
    await second.locator("summary").focus();
    await page.keyboard.press("Enter"); // <summary> opens with the keyboard
    check(await second.evaluate((d) => d.open), "criteria group does not open with Enter");
  }
  step("criteria cards for a procurement question; the pane shows the answer's first line", {
    groups: await groups.count(),
    first: cardTitle,
    scroll: atTop,
  });

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

  // --- a page for buyers: its own starters and contact page; a javascript: privacy URL is ignored
  const buyers = await context.newPage();
  buyers.setDefaultTimeout(TIMEOUT);
  buyers.on("pageerror", (err) => report.consoleErrors.push(String(err)));
  await buyers.goto(`${HOST_URL}/inkopers.html`, { waitUntil: "load" });
  await buyers.locator("kringwijs-widget .kw-launcher").click();
  await buyers.locator("kringwijs-widget .kw-panel").waitFor({ state: "visible" });
  const buyerChrome = await widgetChrome(buyers);
  check(buyerChrome.startersVisible && sameList(buyerChrome.starters, STARTERS.inkopers), `buyers' starters: ${JSON.stringify(buyerChrome)}`);
  check(buyerChrome.contact.href === "https://www.example.org/contact", `buyers' contact: ${JSON.stringify(buyerChrome.contact)}`);
  check(buyerChrome.privacy.href === PRIVACY_DEFAULT, `a javascript: privacy URL was used: ${JSON.stringify(buyerChrome.privacy)}`);
  await runAxe("buyers' page", buyers);
  await buyers.locator("kringwijs-widget .kw-starter").nth(1).click();
  await buyers.waitForFunction(() => {
    const root = document.querySelector("kringwijs-widget").shadowRoot;
    return root.querySelectorAll(".kw-log article.kw-bot:not([aria-busy])").length === 1;
  });
  const started = await buyers.evaluate(() => {
    const root = document.querySelector("kringwijs-widget").shadowRoot;
    const bot = root.querySelector(".kw-log article.kw-bot");
    return {
      question: root.querySelector(".kw-log .kw-user").textContent,
      refused: bot.classList.contains("kw-refused"),
      cards: bot.querySelectorAll(".kw-card").length,
      starters: !root.querySelector(".kw-starters").hidden,
    };
  });
  check(started.question.endsWith(STARTERS.inkopers[1]), `starter did not ask its question: ${JSON.stringify(started)}`);
  check(!started.refused && started.cards > 0 && !started.starters, `starter answer: ${JSON.stringify(started)}`);
  checkAnswerAtTop(await scrollState(buyers), "starter answer");
  await buyers.close();
  step("buyers' page: own starters and contact link; a starter asks and is answered with criteria", started);

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
