/*
 * Kringwijs chat widget: one framework-free file, no external resources.
 *
 *   <script src="https://HOST/widget.js" data-kringwijs-url="https://HOST"
 *           data-title="Vraag het de provincie" defer></script>
 *
 * Optional attributes (sensible defaults when absent):
 *   data-audience      "ondernemers" (default) or "inkopers": which starter questions to show
 *   data-starters      your own starter questions, separated by "|" (overrides data-audience)
 *   data-contact-url   the "Neem contact op" link (default: the province's home page, a
 *                      placeholder; set it to the contact page of the site that embeds this)
 *   data-privacy-url   the privacy statement (default: https://www.provincie-utrecht.nl/privacy)
 *
 * Renders in a shadow DOM (host CSS cannot reach in, ours cannot leak out), streams
 * answers from POST /api/v1/ask/stream (SSE over fetch), keeps the conversation in
 * sessionStorage. Every text from the server is inserted with textContent: markup
 * in a source document is shown, never executed.
 */
(function () {
  "use strict";
  if (window.__kringwijsWidget) return;
  var script = document.currentScript || document.querySelector("script[data-kringwijs-url]");
  if (!script) return;
  window.__kringwijsWidget = true;

  var BASE = (script.getAttribute("data-kringwijs-url") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var TITLE = script.getAttribute("data-title") || "Vraag het de provincie";
  var STORE = "kringwijs:" + BASE;
  // Starter questions per audience: each is answered by the bundled sources (checked by the
  // browser test), so a first click never ends in "Dat staat niet in mijn bronnen".
  var STARTERS = {
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
  var ownStarters = (script.getAttribute("data-starters") || "").split("|").map(function (q) { return q.trim(); })
    .filter(Boolean).slice(0, 3);
  var STARTER_LIST = ownStarters.length ? ownStarters : STARTERS[script.getAttribute("data-audience")] || STARTERS.ondernemers;
  // The privacy page is the province's own (verified); no contact page could be verified, so the
  // contact default is the home page: a placeholder that the embedding site should replace.
  var CONTACT_URL = safeUrl(script.getAttribute("data-contact-url")) || "https://www.provincie-utrecht.nl/";
  var PRIVACY_URL = safeUrl(script.getAttribute("data-privacy-url")) || "https://www.provincie-utrecht.nl/privacy";
  var MAX = 1000;
  var HISTORY_TURNS = 6;

  // Only http(s) addresses become links: javascript:, data: and relative URLs stay text.
  function safeUrl(value) {
    if (!value || !/^https?:\/\//i.test(value.trim())) return null;
    try { return new URL(value.trim()).href; } catch (e) { return null; }
  }

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box}",
    ".kw{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a}",
    "button,textarea{font:inherit}",
    ":focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}",
    ".kw-launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
    "padding:12px 18px;border:0;border-radius:999px;background:#a6001c;color:#fff;font-weight:600;cursor:pointer;",
    "box-shadow:0 2px 8px rgba(0,0,0,.3);max-width:calc(100vw - 32px)}",
    ".kw-launcher:hover{background:#7d0015}",
    ".kw-panel{position:fixed;right:16px;bottom:16px;z-index:2147483001;width:400px;max-width:calc(100vw - 32px);",
    "height:600px;max-height:calc(100vh - 32px);display:flex;flex-direction:column;background:#fff;",
    "border:1px solid #767676;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);overflow:hidden}",
    ".kw-panel[hidden],.kw-source[hidden],.kw-starters[hidden],.kw-hide{display:none}",
    ".kw-head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#a6001c;color:#fff}",
    ".kw-head h2{flex:1;margin:0;font-size:1.05rem}",
    ".kw-head button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:4px 10px;cursor:pointer}",
    ".kw-head :focus-visible{outline-color:#fff}",
    ".kw-body{flex:1;overflow-y:auto;padding:12px}",
    ".kw-intro{margin:0 0 12px;color:#4a4a4a;font-size:.9rem}",
    ".kw-starters{margin:0 0 12px}.kw-starters p{margin:0 0 4px;font-size:.9rem;font-weight:600}",
    ".kw-starters ul{margin:0;padding:0;list-style:none}.kw-starters li{margin:0 0 6px}",
    ".kw-starter{width:100%;text-align:left;border:1px solid #0b4f9c;background:#fff;color:#0b4f9c;border-radius:8px;",
    "padding:6px 10px;cursor:pointer}.kw-starter:hover{background:#eef2f7}",
    ".kw-links{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0;padding:0 12px 8px;font-size:.85rem}",
    ".kw-msg{margin:0 0 12px;padding:10px 12px;border-radius:10px;overflow-wrap:anywhere;white-space:pre-wrap}",
    ".kw-user{background:#eef2f7;margin-left:32px}",
    ".kw-bot{background:#f7f7f7;border:1px solid #d4d4d4;margin-right:16px}",
    ".kw-refused{border-left:4px solid #8a5a00}",
    ".kw-error{background:#fdecea;border:1px solid #a6001c}",
    ".kw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".kw-ref{color:#0b4f9c;font-weight:600}",
    "a{color:#0b4f9c}",
    ".kw-cites{margin:8px 0 0;padding-left:0;list-style:none;font-size:.9rem;white-space:normal}",
    ".kw-cites li{margin:4px 0}",
    ".kw-criteria{margin-top:8px;white-space:normal}",
    ".kw-group{margin:4px 0}.kw-group summary{cursor:pointer;font-weight:600;padding:4px 0}",
    ".kw-cards{margin:4px 0 0;padding:0;list-style:none;white-space:normal}",
    ".kw-card{border:1px solid #767676;border-radius:8px;padding:8px;margin:6px 0;background:#fff;font-size:.9rem}",
    ".kw-card h3{margin:0 0 4px;font-size:.95rem}",
    ".kw-card p{margin:4px 0}",
    ".kw-meta{color:#4a4a4a}",
    ".kw-fb{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;white-space:normal;font-size:.9rem}",
    ".kw-fb button{display:inline-flex;align-items:center;gap:4px}",
    ".kw-fb button,.kw-btn{border:1px solid #595959;background:#fff;color:#1a1a1a;border-radius:6px;padding:4px 10px;cursor:pointer}",
    ".kw-fb button[aria-pressed=true]{background:#1a1a1a;color:#fff}",
    ".kw-fb textarea{width:100%;min-height:3em;border:1px solid #595959;border-radius:6px;padding:6px}",
    ".kw-form{display:flex;flex-wrap:wrap;gap:6px;padding:10px 12px;border-top:1px solid #d4d4d4}",
    ".kw-form label{width:100%;font-weight:600;font-size:.9rem}",
    ".kw-form textarea{flex:1;min-width:0;resize:vertical;min-height:2.6em;border:1px solid #595959;border-radius:6px;padding:6px}",
    ".kw-send{border:0;border-radius:6px;background:#a6001c;color:#fff;font-weight:600;padding:6px 14px;cursor:pointer}",
    ".kw-send[aria-disabled=true]{background:#595959;cursor:wait}",
    ".kw-status{min-height:1.2em;margin:0;padding:0 12px 8px;font-size:.85rem;color:#4a4a4a}",
    ".kw-source{flex:1;overflow-y:auto;padding:12px}",
    ".kw-source h3{margin:0 0 4px;font-size:1rem}",
    ".kw-passage{margin:8px 0;padding:8px;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem}",
    ".kw-cited{background:#fff4c2;border-left:4px solid #8a5a00}",
    "@media (max-width:480px){.kw-panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}",
    ".kw-user{margin-left:12px}.kw-bot{margin-right:0}}",
  ].join("");

  var TEMPLATE =
    '<div class="kw">' +
    '<button type="button" class="kw-launcher" aria-expanded="false" aria-controls="kw-panel">' +
    '<span class="kw-launcher-label"></span></button>' +
    '<section id="kw-panel" class="kw-panel" role="dialog" aria-modal="false" aria-labelledby="kw-title" hidden>' +
    '<div class="kw-head"><h2 id="kw-title"></h2>' +
    '<button type="button" class="kw-new">Nieuw gesprek</button>' +
    '<button type="button" class="kw-close" aria-label="Chat sluiten">&#10005;</button></div>' +
    '<div class="kw-body"><p class="kw-intro">Ik zoek het antwoord in documenten van de provincie over circulaire ' +
    'economie en noem steeds mijn bronnen. Deel geen persoonsgegevens (zie de <a class="kw-privacy-inline">' +
    "privacyverklaring</a>).</p>" +
    '<div class="kw-starters"><p id="kw-starters-label">Bijvoorbeeld:</p><ul aria-labelledby="kw-starters-label"></ul></div>' +
    '<div class="kw-log" role="log" aria-live="polite" aria-label="Gesprek"></div></div>' +
    '<div class="kw-source" role="region" aria-labelledby="kw-source-title" hidden></div>' +
    '<form class="kw-form" novalidate><label for="kw-input">Uw vraag</label>' +
    '<textarea id="kw-input" rows="2" maxlength="1000" aria-describedby="kw-hint"></textarea>' +
    '<button type="submit" class="kw-send">Verstuur</button>' +
    '<span id="kw-hint" class="kw-sr">Enter verstuurt, Shift+Enter begint een nieuwe regel. Maximaal 1000 tekens.</span></form>' +
    '<p class="kw-status" role="status"></p>' +
    '<p class="kw-links"><a class="kw-contact">Neem contact op</a><a class="kw-privacy">Privacyverklaring</a></p>' +
    "</section></div>";

  var host = document.createElement("kringwijs-widget");
  host.id = "kringwijs-widget";
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = CSS;
  root.appendChild(style);
  var wrap = document.createElement("div");
  wrap.innerHTML = TEMPLATE; // static markup only; no server or page data passes through here
  root.appendChild(wrap.firstChild);

  function $(sel) { return root.querySelector(sel); }
  var launcher = $(".kw-launcher"), panel = $(".kw-panel"), log = $(".kw-log"), form = $(".kw-form");
  var input = $("#kw-input"), send = $(".kw-send"), statusEl = $(".kw-status"), sourceEl = $(".kw-source");
  var body = $(".kw-body");
  $(".kw-launcher-label").textContent = TITLE;
  $("#kw-title").textContent = TITLE;
  var starters = $(".kw-starters");
  [[".kw-contact", CONTACT_URL], [".kw-privacy", PRIVACY_URL], [".kw-privacy-inline", PRIVACY_URL]].forEach(function (pair) {
    var a = $(pair[0]);
    a.href = pair[1];
    a.target = "_blank";
    a.rel = "noopener";
  });
  STARTER_LIST.forEach(function (q) {
    var li = document.createElement("li"), b = document.createElement("button");
    b.type = "button";
    b.className = "kw-starter";
    b.textContent = q;
    b.addEventListener("click", function () { if (!busy) ask(q); });
    li.appendChild(b);
    starters.querySelector("ul").appendChild(li);
  });

  var state = load();
  var busy = false;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || { messages: [] }; } catch (e) { return { messages: [] }; }
  }
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: keep in memory */ }
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = String(text);
    return node;
  }
  function say(text) { statusEl.textContent = text; }
  // Dutch count with the right noun: "1 passage", "2 passages", "1 criterium", "3 criteria".
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  // Starter questions only while the conversation is empty.
  function showStarters() { starters.hidden = state.messages.length > 0; }

  // Text with its http(s) addresses as links; everything else stays a text node.
  var URL_RE = /https?:\/\/[^\s<>"'\u00a0]+/gi;
  function appendLinked(node, text) {
    var last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var url = m[0].replace(/[.,;:!?)\]'"\u2019\u201d]+$/, ""); // sentence punctuation is not part of it
      var href = safeUrl(url);
      if (!href) continue;
      node.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = el("a", "kw-url", url);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener";
      node.appendChild(a);
      last = m.index + url.length;
      URL_RE.lastIndex = last;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  // Icons as inline SVG: emoji fonts are missing on many office desktops.
  var THUMB = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
    "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  var BUBBLE = "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z";
  function icon(d, flip) {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (flip) svg.setAttribute("transform", "rotate(180)");
    var p = document.createElementNS(NS, "path");
    p.setAttribute("d", d);
    p.setAttribute("fill", "currentColor");
    svg.appendChild(p);
    return svg;
  }

  function sourceHref(c) {
    return BASE + "/bron/" + encodeURIComponent(c.doc_id) + "?chunk=" + encodeURIComponent(c.chunk_id);
  }
  function citeLabel(c) {
    var where = [c.section, c.page ? "p. " + c.page : ""].filter(Boolean).join(", ");
    return c.title + (where ? " — " + where : "");
  }
  function citeLink(c, text, cls) {
    var a = el("a", cls, text);
    a.href = sourceHref(c);
    a.target = "_blank";
    a.rel = "noopener";
    a.setAttribute("data-n", c.n);
    a.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button === 1) return;
      ev.preventDefault();
      openSource(c, a);
    });
    return a;
  }

  function squash(text) { return String(text || "").replace(/\s+/g, " "); }

  // A "[1]" that the quoted document itself contains (a footnote, a list number) is text, not
  // a citation: the marker with the words right before or after it occurs in a cited passage.
  // A real marker follows the end of a quote, so that combination is not in the passage.
  function quotedMarker(text, start, end, passages) {
    var marker = text.slice(start, end);
    var before = squash(text.slice(Math.max(0, start - 24), start)).split("…").pop();
    var after = squash(text.slice(end, end + 24)).split("…")[0];
    return passages.some(function (p) {
      return (before.trim().length >= 4 && p.indexOf(before + marker) !== -1) ||
        (after.trim().length >= 4 && p.indexOf(marker + after) !== -1);
    });
  }

  // Answer text with its [n] markers turned into links; every piece is a text node.
  function fillText(node, text, citations) {
    node.textContent = "";
    var byN = {};
    var passages = (citations || []).map(function (c) { byN[c.n] = c; return squash(c.text); });
    var re = /\[(\d+)\]/g, last = 0, m;
    while ((m = re.exec(text))) {
      var c = byN[m[1]];
      if (c && quotedMarker(text, m.index, re.lastIndex, passages)) continue;
      appendLinked(node, text.slice(last, m.index));
      if (c) {
        var a = citeLink(c, "[" + m[1] + "]", "kw-ref");
        a.setAttribute("aria-label", "Bron " + m[1] + ": " + c.title);
        node.appendChild(a);
      } else {
        node.appendChild(document.createTextNode(m[0]));
      }
      last = re.lastIndex;
    }
    appendLinked(node, text.slice(last));
  }

  function renderCitations(box, citations) {
    if (!citations || !citations.length) return;
    var list = el("ol", "kw-cites");
    list.setAttribute("aria-label", "Bronnen");
    citations.forEach(function (c) {
      var li = el("li");
      li.appendChild(citeLink(c, "[" + c.n + "] " + citeLabel(c), "kw-cite"));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function renderCard(k) {
    var li = el("li", "kw-card");
    li.appendChild(el("h3", null, k.title || k.id || "Criterium"));
    var meta = [k.id, k.ambition_label ? "ambitie: " + k.ambition_label : "", k.product_group_label]
      .filter(Boolean).join(" · ");
    if (meta) li.appendChild(el("p", "kw-meta", meta));
    if (k.text) li.appendChild(el("p", null, k.text));
    if (k.verification) li.appendChild(el("p", "kw-meta", "Bewijsmiddel: " + k.verification));
    if (k.source_url && /^https?:\/\//i.test(k.source_url)) {
      var a = el("a", null, "Bron: " + (k.source_title || k.source_url));
      a.href = k.source_url;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
    }
    return li;
  }

  // Criteria arrive grouped by type and ambition ({type_label, ambition_label, cards});
  // each group is a <details> so forty cards do not flood a small panel.
  function renderCriteria(box, criteria) {
    if (!criteria || !criteria.length) return;
    var wrap = el("div", "kw-criteria");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "Inkoopcriteria");
    var groups = criteria[0] && criteria[0].cards ? criteria : [{ type_label: "Criteria", cards: criteria }];
    groups.forEach(function (g, i) {
      var details = el("details", "kw-group");
      if (i === 0) details.open = true;
      var label = [g.type_label, g.ambition_label ? "ambitie " + g.ambition_label : ""].filter(Boolean).join(", ");
      details.appendChild(el("summary", null, label + " (" + plural(g.cards.length, "criterium", "criteria") + ")"));
      var list = el("ul", "kw-cards");
      g.cards.forEach(function (k) { list.appendChild(renderCard(k)); });
      details.appendChild(list);
      wrap.appendChild(details);
    });
    box.appendChild(wrap);
  }

  function renderFeedback(box, msg) {
    var group = el("div", "kw-fb");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Was dit antwoord nuttig?");
    group.appendChild(el("span", null, "Nuttig?"));
    var up = el("button", "kw-up", " Ja"), down = el("button", "kw-down", " Nee");
    up.insertBefore(icon(THUMB), up.firstChild);
    down.insertBefore(icon(THUMB, true), down.firstChild);
    [up, down].forEach(function (b) { b.type = "button"; });
    up.setAttribute("aria-label", "Ja, dit antwoord is nuttig");
    down.setAttribute("aria-label", "Nee, dit antwoord is niet nuttig");
    var note = el("div", "kw-hide"), label = el("label", null, "Toelichting (optioneel)");
    var area = el("textarea"), submit = el("button", "kw-btn kw-fb-send", "Verstuur toelichting");
    var id = "kw-fb-" + msg.answer_id;
    area.id = id;
    area.maxLength = 1000;
    label.htmlFor = id;
    submit.type = "button";
    note.appendChild(label);
    note.appendChild(area);
    note.appendChild(submit);
    function pressed() {
      up.setAttribute("aria-pressed", String(msg.rating === "up"));
      down.setAttribute("aria-pressed", String(msg.rating === "down"));
    }
    function rate(rating) {
      msg.rating = rating;
      pressed();
      save();
      postFeedback(msg.answer_id, rating, null);
      note.className = "";
      area.focus();
    }
    up.addEventListener("click", function () { rate("up"); });
    down.addEventListener("click", function () { rate("down"); });
    submit.addEventListener("click", function () {
      postFeedback(msg.answer_id, msg.rating, area.value.trim() || null);
      note.className = "kw-hide";
      (msg.rating === "down" ? down : up).focus();
    });
    pressed();
    group.appendChild(up);
    group.appendChild(down);
    group.appendChild(note);
    box.appendChild(group);
  }

  function postFeedback(answerId, rating, comment) {
    fetch(BASE + "/api/v1/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kringwijs-Client": "widget" },
      body: JSON.stringify({ answer_id: answerId, rating: rating, comment: comment }),
    }).then(function (r) {
      say(r.ok ? (comment ? "Bedankt voor uw toelichting." : "Bedankt voor uw beoordeling.") : "Uw beoordeling kon niet worden opgeslagen.");
    }, function () { say("Uw beoordeling kon niet worden opgeslagen."); });
  }

  function renderMessage(msg) { log.appendChild(buildMessage(msg)); }

  function buildMessage(msg) {
    if (msg.role === "user") {
      var u = el("div", "kw-msg kw-user");
      u.appendChild(el("span", "kw-sr", "U vroeg: "));
      u.appendChild(document.createTextNode(msg.content));
      return u;
    }
    var box = el("article", "kw-msg kw-bot" + (msg.refused ? " kw-refused" : "") + (msg.error ? " kw-error" : ""));
    box.appendChild(el("span", "kw-sr", "Kringwijs: "));
    var text = el("span", "kw-text");
    fillText(text, msg.content, msg.citations);
    box.appendChild(text);
    renderCitations(box, msg.citations);
    renderCriteria(box, msg.criteria);
    if (msg.refused) {
      // A person may know what the sources do not: offer the hand-off right there.
      var help = el("p", "kw-handoff", "Liever een mens spreken? ");
      var a = el("a", null, "Neem contact op");
      a.href = CONTACT_URL;
      a.target = "_blank";
      a.rel = "noopener";
      help.appendChild(a);
      box.appendChild(help);
    }
    if (msg.answer_id) renderFeedback(box, msg);
    return box;
  }

  function setBusy(on) {
    busy = on;
    send.setAttribute("aria-disabled", String(on));
    say(on ? "Kringwijs zoekt een antwoord…" : "");
  }

  function history() {
    return state.messages.filter(function (m) { return !m.error; }).slice(-HISTORY_TURNS).map(function (m) {
      return { role: m.role, content: m.content };
    });
  }

  function ask(question) {
    var prior = history();
    var user = { role: "user", content: question };
    state.messages.push(user);
    save();
    showStarters();
    renderMessage(user);
    var msg = { role: "assistant", content: "", citations: [], criteria: [] };
    var box = el("article", "kw-msg kw-bot");
    box.setAttribute("aria-busy", "true"); // screen readers announce the answer once, when complete
    box.appendChild(el("span", "kw-sr", "Kringwijs: "));
    var text = el("span", "kw-text");
    box.appendChild(text);
    log.appendChild(box);
    setBusy(true);
    body.scrollTop = body.scrollHeight;

    function finish(errorText) {
      if (errorText) { msg.content = errorText; msg.error = true; msg.citations = []; }
      var done = buildMessage(msg);
      log.replaceChild(done, box);
      if (!msg.error) { state.messages.push(msg); save(); }
      setBusy(false);
      // The answer's first line at the top of the pane: a long answer (criteria cards) is read
      // from its start, not from the feedback buttons at its end.
      body.scrollTop += done.getBoundingClientRect().top - body.getBoundingClientRect().top - 8;
    }

    fetch(BASE + "/api/v1/ask/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kringwijs-Client": "widget", Accept: "text/event-stream" },
      body: JSON.stringify({ question: question, history: prior }),
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.json().then(function (j) { finish(j.detail || "Er ging iets mis."); }, function () {
          finish("Er ging iets mis bij Kringwijs. Probeer het later opnieuw.");
        });
      }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buf = "", ended = false;
      function handle(block) {
        var name = "message", data = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) name = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
        });
        if (!data) return;
        var value = JSON.parse(data);
        if (name === "token") { msg.content += value.text; text.textContent = msg.content; }
        else if (name === "replace") { msg.content = value.text; text.textContent = msg.content; }
        else if (name === "citations") msg.citations = value;
        else if (name === "criteria") msg.criteria = value;
        else if (name === "done") { msg.answer_id = value.answer_id; msg.refused = value.refused; ended = true; finish(); }
        else if (name === "error") { ended = true; finish(value.message); }
      }
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) { if (!ended) finish("De verbinding werd onderbroken. Probeer het opnieuw."); return; }
          buf += decoder.decode(r.value, { stream: true });
          var parts = buf.split("\n\n");
          buf = parts.pop();
          parts.forEach(function (p) { if (!ended) handle(p); });
          return ended ? reader.cancel() : pump();
        });
      }
      return pump();
    }).catch(function () {
      if (busy) finish("Kringwijs is nu niet bereikbaar. Probeer het later opnieuw.");
    });
  }

  function openSource(c, opener) {
    sourceEl.textContent = "";
    var back = el("button", "kw-btn", "← Terug naar het gesprek");
    back.type = "button";
    var heading = el("h3", null, "Bron [" + c.n + "]: " + c.title);
    heading.id = "kw-source-title";
    heading.tabIndex = -1;
    sourceEl.appendChild(back);
    sourceEl.appendChild(heading);
    var list = el("div", "kw-passages");
    list.appendChild(el("p", "kw-meta", "Passage wordt geladen…"));
    sourceEl.appendChild(list);
    var full = el("a", null, "Open de bron in een nieuw tabblad");
    full.href = sourceHref(c);
    full.target = "_blank";
    full.rel = "noopener";
    sourceEl.appendChild(full);
    back.addEventListener("click", function () { closeSource(opener); });
    body.hidden = true;
    sourceEl.hidden = false;
    heading.focus();
    fetch(sourceHref(c).replace(BASE + "/bron/", BASE + "/api/v1/sources/"))
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        list.textContent = "";
        if (!res.ok) { list.appendChild(el("p", null, res.j.detail || "Deze bron is niet beschikbaar.")); return; }
        list.appendChild(el("p", "kw-meta", plural(res.j.chunks, "passage", "passages") + " in dit document"));
        res.j.passages.forEach(function (p) {
          var div = el("div", "kw-passage" + (p.cited ? " kw-cited" : ""));
          var where = [p.section, p.page ? "p. " + p.page : ""].filter(Boolean).join(", ");
          if (p.cited) div.appendChild(el("strong", null, "Geciteerde passage" + (where ? " (" + where + ")" : "") + ": "));
          else if (where) div.appendChild(el("span", "kw-meta", where + ": "));
          appendLinked(div, p.text);
          list.appendChild(div);
        });
      }, function () { list.textContent = "Deze bron kon niet worden geladen."; });
  }

  function closeSource(opener) {
    sourceEl.hidden = true;
    body.hidden = false;
    if (opener && opener.isConnected) opener.focus(); else input.focus();
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    state.open = true;
    save();
    input.focus();
    body.scrollTop = body.scrollHeight;
  }
  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  $(".kw-close").addEventListener("click", close);
  $(".kw-new").addEventListener("click", function () {
    state.messages = [];
    save();
    log.textContent = "";
    showStarters();
    closeSource(null);
    say("Nieuw gesprek gestart.");
    input.focus();
  });
  panel.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    ev.preventDefault();
    if (!sourceEl.hidden) closeSource(null); else close();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy) return;
    var q = input.value.trim();
    if (!q) { say("Typ eerst een vraag."); input.focus(); return; }
    if (q.length > MAX) { say("Uw vraag is te lang: maximaal 1000 tekens."); return; }
    input.value = "";
    ask(q);
  });

  launcher.insertBefore(icon(BUBBLE), launcher.firstChild);
  state.messages.forEach(renderMessage);
  showStarters();
  (document.body || document.documentElement).appendChild(host);
  if (state.open) { panel.hidden = false; launcher.hidden = true; launcher.setAttribute("aria-expanded", "true"); }
})();
