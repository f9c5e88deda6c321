// The sandbox inbox. Polls GET /__sandbox/inbox and changes the page in place: elements are
// made once per message, recipient and webhook, and only what changed is written, so nothing
// flickers and focus stays where it is. Message texts are untrusted: they are written with
// textContent only (never as HTML).
"use strict";

(function () {
  const POLL_MS = 300;
  const HIDDEN_POLL_MS = 3000;
  const CONTROL = "/__sandbox/";
  const CHANNELS = { sms: "SMS", viber: "Viber", whatsapp: "WhatsApp", multichannel: "Multichannel" };
  const CODE_WORDS = /\b(code|pin|otp|passcode|password|verification|verify)\b/i;
  const CODE = /\b\d{4,8}\b/g;

  const page = {
    selected: null, // the counterpart number of the thread on show
    picked: false, // the user chose it (else the newest thread is followed)
    threads: new Map(), // number -> {item, button, section, list, bubbles: Map}
    hooks: new Map(), // webhook id -> element
    currency: "EUR",
    seq: 0, // polls started
    shown: 0, // the poll whose answer is on the page
    timer: 0,
    lastBody: "",
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function setData(node, key, value) {
    if (node.dataset[key] !== value) node.dataset[key] = value;
  }

  function setHidden(node, hidden) {
    if (node.hidden !== hidden) node.hidden = hidden;
  }

  function notice(text, isError) {
    const box = $("notice");
    box.textContent = text;
    box.dataset.kind = isError ? "error" : "info";
  }

  function money(value) {
    try {
      return new Intl.NumberFormat("en", {
        style: "currency", currency: page.currency, minimumFractionDigits: 2, maximumFractionDigits: 4,
      }).format(value);
    } catch (e) {
      return value.toFixed(4) + " " + page.currency;
    }
  }

  function clockTime(stamp) {
    // "YYYY-MM-DD HH:MM:SS" (UTC) -> "HH:MM:SS"; the header shows the date
    return stamp ? stamp.slice(11) : "";
  }

  function utcMillis(stamp) {
    return Date.parse(stamp.replace(" ", "T") + "Z");
  }

  function until(stamp, nowStamp) {
    const seconds = Math.round((utcMillis(stamp) - utcMillis(nowStamp)) / 1000);
    if (seconds <= 0) return "due now";
    if (seconds < 120) return "in " + seconds + " s";
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return "in " + minutes + " min";
    if (minutes < 2880) return "in " + Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
    return "in " + Math.floor(minutes / 1440) + " days";
  }

  // -- talking to the control plane ---------------------------------------------------------
  async function control(method, name, body) {
    const init = { method: method, headers: {}, cache: "no-store" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(CONTROL + name, init);
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new Error((data.error && data.error.message) || res.status + " " + res.statusText);
    }
    return data;
  }

  async function act(button, work, done) {
    if (button) button.disabled = true;
    try {
      const result = await work();
      if (done) notice(done(result), false);
    } catch (err) {
      notice(err.message, true);
    } finally {
      if (button) button.disabled = false;
      poll();
    }
  }

  async function poll() {
    clearTimeout(page.timer);
    const mine = ++page.seq;
    try {
      const res = await fetch(CONTROL + "inbox?limit=500", { cache: "no-store" });
      const text = await res.text();
      if (!res.ok) throw new Error(res.status + " " + res.statusText);
      if (mine > page.shown) {
        // an older answer arriving after a newer one is dropped
        page.shown = mine;
        if (text !== page.lastBody) {
          page.lastBody = text;
          render(JSON.parse(text));
        }
      }
      setLive("live", "live");
    } catch (err) {
      setLive("offline", "offline: is the sandbox still running?");
    }
    if (mine === page.seq) {
      page.timer = setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
    }
  }

  function setLive(state, text) {
    const live = $("live");
    setData(live, "live", state);
    setText(live, text);
  }

  // -- rendering ------------------------------------------------------------------------------
  function render(data) {
    page.currency = (data.account.currency || "eur").toUpperCase();
    setText($("clock"), data.datetime);
    setText($("balance"), money(data.account.balance));
    const input = $("balance-input");
    if (document.activeElement !== input && input.value === "") input.placeholder = String(data.account.balance);
    renderFaults(data.faults);
    renderThreads(data);
    renderWebhooks(data.webhooks);
  }

  function renderFaults(faults) {
    setHidden($("faults-fact"), !faults.length);
    setText($("faults"), faults.map((f) => (f.fault || f.status) + " on " + f.method + " " + f.path).join(", "));
  }

  function counterpartOf(entry, inbound) {
    return inbound ? entry.from : entry.to;
  }

  function renderThreads(data) {
    // every message in time order, grouped by the phone on the other end
    const groups = new Map();
    const add = (number, entry) => {
      if (!groups.has(number)) groups.set(number, []);
      groups.get(number).push(entry);
    };
    data.messages.forEach((m) => add(counterpartOf(m, false), { key: "out:" + m.msgId, at: m.createdAt, msg: m, inbound: false }));
    data.received.forEach((r) => add(counterpartOf(r, true), { key: "in:" + r.msgId, at: r.receivedAt, msg: r, inbound: true }));
    for (const entries of groups.values()) {
      entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    }
    const order = Array.from(groups.keys()).sort((a, b) => {
      const la = groups.get(a), lb = groups.get(b);
      const ta = la[la.length - 1].at, tb = lb[lb.length - 1].at;
      return ta < tb ? 1 : ta > tb ? -1 : 0;
    });

    for (const [number, thread] of page.threads) {
      if (!groups.has(number)) {
        thread.item.remove();
        thread.section.remove();
        page.threads.delete(number);
      }
    }
    if (page.selected !== null && !groups.has(page.selected)) {
      page.selected = null;
      page.picked = false;
    }
    if (!page.picked && order.length) page.selected = order[0];

    const items = [];
    const sections = [];
    for (const number of order) {
      const thread = page.threads.get(number) || makeThread(number);
      renderThread(thread, groups.get(number), data.datetime);
      items.push(thread.item);
      sections.push(thread.section);
    }
    syncOrder($("recipient-list"), items);
    syncOrder($("threads"), sections);
    setHidden($("no-recipients"), order.length > 0);
    showSelected();
  }

  function makeThread(number) {
    const item = el("li", "recipient");
    const button = el("button", "recipient-button");
    button.type = "button";
    button.dataset.number = number;
    const name = el("span", "recipient-number", number);
    const last = el("span", "recipient-last");
    const count = el("span", "recipient-count");
    button.append(name, count, last);
    button.addEventListener("click", () => {
      page.selected = number;
      page.picked = true;
      showSelected();
      scrollThread(page.threads.get(number));
    });
    item.append(button);

    const section = el("section", "thread");
    section.dataset.number = number;
    section.setAttribute("aria-label", "Messages with " + number);
    const list = el("ol", "bubbles");
    section.append(list);
    const thread = { number, item, button, name, last, count, section, list, bubbles: new Map(), entries: [] };
    page.threads.set(number, thread);
    return thread;
  }

  function renderThread(thread, entries, nowStamp) {
    thread.entries = entries;
    const seen = new Set(entries.map((e) => e.key));
    for (const [key, bubble] of thread.bubbles) {
      if (!seen.has(key)) {
        bubble.remove();
        thread.bubbles.delete(key);
      }
    }
    const nearBottom = thread.list.scrollHeight - thread.list.scrollTop - thread.list.clientHeight < 40;
    let added = false;
    const nodes = entries.map((entry) => {
      let bubble = thread.bubbles.get(entry.key);
      if (!bubble) {
        bubble = entry.inbound ? makeReplyBubble(entry.msg) : makeBubble(entry.msg);
        thread.bubbles.set(entry.key, bubble);
        added = true;
      }
      if (!entry.inbound) updateBubble(bubble, entry.msg, nowStamp);
      return bubble;
    });
    syncOrder(thread.list, nodes);
    const newest = entries[entries.length - 1];
    const what = newest.inbound ? "reply" : newest.msg.status;
    setText(thread.last, clockTime(newest.at) + " · " + what);
    setText(thread.count, String(entries.length));
    thread.count.setAttribute("aria-label", entries.length + (entries.length === 1 ? " message" : " messages"));
    // a new message scrolls into view, unless the reader scrolled up to read older ones
    if (added && (nearBottom || thread.number !== page.selected)) scrollThread(thread);
  }

  function scrollThread(thread) {
    if (thread) thread.list.scrollTop = thread.list.scrollHeight;
  }

  function showSelected() {
    for (const [number, thread] of page.threads) {
      const on = number === page.selected;
      setHidden(thread.section, !on);
      const current = on ? "true" : "false";
      if (thread.button.getAttribute("aria-current") !== current) thread.button.setAttribute("aria-current", current);
    }
    const thread = page.threads.get(page.selected);
    setText($("thread-title"), thread ? "Thread with " + thread.number : "Thread");
    const form = $("reply-form");
    setHidden(form, !thread);
    if (thread) {
      setText($("reply-label"), "Reply as " + thread.number);
      const channel = $("reply-channel");
      if (document.activeElement !== channel && channel.dataset.number !== thread.number) {
        channel.value = replyChannel(thread);
        channel.dataset.number = thread.number;
      }
    }
  }

  function replyChannel(thread) {
    for (let i = thread.entries.length - 1; i >= 0; i--) {
      const m = thread.entries[i].msg;
      const channel = thread.entries[i].inbound ? m.channel : m.route || m.channel;
      if (channel in CHANNELS && channel !== "multichannel") return channel;
    }
    return "sms";
  }

  function replyTarget(thread) {
    // the reply goes back to what wrote to the phone: the last sender name or number
    for (let i = thread.entries.length - 1; i >= 0; i--) {
      const e = thread.entries[i];
      if (!e.inbound) return e.msg.from;
    }
    const last = thread.entries[thread.entries.length - 1];
    return last ? last.msg.to : "";
  }

  function syncOrder(container, nodes) {
    // put ``nodes`` in ``container`` in this order, moving only what is out of place
    for (let i = 0; i < nodes.length; i++) {
      if (container.children[i] !== nodes[i]) container.insertBefore(nodes[i], container.children[i] || null);
    }
    while (container.children.length > nodes.length) container.lastElementChild.remove();
  }

  // the text of a message, with its code (an OTP's PIN, or a number beside "code") marked
  function fillText(node, text, pin) {
    node.replaceChildren();
    const marks = [];
    if (pin) {
      let at = text.indexOf(pin);
      while (at >= 0) {
        marks.push([at, at + pin.length]);
        at = text.indexOf(pin, at + pin.length);
      }
    } else if (CODE_WORDS.test(text)) {
      for (const match of text.matchAll(CODE)) marks.push([match.index, match.index + match[0].length]);
    }
    let pos = 0;
    for (const [start, end] of marks) {
      if (start > pos) node.append(document.createTextNode(text.slice(pos, start)));
      node.append(el("mark", "code", text.slice(start, end)));
      pos = end;
    }
    if (pos < text.length) node.append(document.createTextNode(text.slice(pos)));
  }

  function makeBubble(m) {
    const bubble = el("li", "bubble out");
    bubble.dataset.msgId = m.msgId;
    const head = el("div", "bubble-head");
    const sender = el("span", "sender");
    const channel = el("span", "channel");
    head.append(sender, channel);
    const text = el("p", "text");
    const schedule = el("p", "schedule");
    const foot = el("div", "bubble-foot");
    const parts = el("span", "parts");
    const cost = el("span", "cost");
    const at = el("time", "at");
    const status = el("span", "status");
    foot.append(parts, cost, at, status);
    bubble.append(head, text, schedule, foot);
    bubble.parts = { sender, channel, text, schedule, partsInfo: parts, cost, at, status };
    return bubble;
  }

  function updateBubble(bubble, m, nowStamp) {
    const p = bubble.parts;
    setText(p.sender, m.from);
    const channelName = m.channel === "multichannel" && m.route
      ? "Multichannel · " + (CHANNELS[m.route] || m.route) : CHANNELS[m.channel] || m.channel;
    setText(p.channel, channelName);
    setData(p.channel, "channel", m.route || m.channel);
    if (bubble.dataset.text !== m.text || bubble.dataset.pin !== (m.pin || "")) {
      bubble.dataset.text = m.text;
      bubble.dataset.pin = m.pin || "";
      fillText(p.text, m.text, m.pin);
    }
    const partWord = m.parts === 1 ? "1 part" : m.parts + " parts";
    setText(p.partsInfo, m.encoding ? partWord + " · " + m.encoding : partWord);
    setText(p.cost, money(m.cost));
    setText(p.at, clockTime(m.createdAt));
    p.at.dateTime = m.createdAt.replace(" ", "T") + "Z";
    const status = m.errorCode != null ? m.status + " (error " + m.errorCode + ")" : m.status;
    setText(p.status, status);
    setData(bubble, "status", m.status);
    setData(p.status, "status", m.status);
    const waiting = m.status === "SCHEDULED" && m.scheduledAt;
    setHidden(p.schedule, !waiting);
    if (waiting) setText(p.schedule, "Scheduled for " + m.scheduledAt + " UTC (" + until(m.scheduledAt, nowStamp) + ")");
  }

  function makeReplyBubble(r) {
    const bubble = el("li", "bubble in");
    bubble.dataset.msgId = r.msgId;
    const head = el("div", "bubble-head");
    head.append(el("span", "sender", "Reply to " + r.to), el("span", "channel", CHANNELS[r.channel] || r.channel));
    head.lastChild.dataset.channel = r.channel;
    const text = el("p", "text", r.text);
    const foot = el("div", "bubble-foot");
    const at = el("time", "at", clockTime(r.receivedAt));
    at.dateTime = r.receivedAt.replace(" ", "T") + "Z";
    foot.append(at, el("span", "status", "RECEIVED"));
    bubble.append(head, text, foot);
    return bubble;
  }

  function renderWebhooks(hooks) {
    const seen = new Set(hooks.map((h) => h.id));
    for (const [id, node] of page.hooks) {
      if (!seen.has(id)) {
        node.remove();
        page.hooks.delete(id);
      }
    }
    const nodes = hooks.slice().reverse().map((h) => {
      let node = page.hooks.get(h.id);
      if (!node) {
        node = makeHook(h);
        page.hooks.set(h.id, node);
      }
      updateHook(node, h);
      return node;
    });
    syncOrder($("webhook-list"), nodes);
    setHidden($("no-webhooks"), hooks.length > 0);
  }

  function makeHook(h) {
    const node = el("li", "hook");
    node.dataset.id = String(h.id);
    const head = el("div", "hook-head");
    const event = el("span", "event", h.event);
    const outcome = el("span", "outcome");
    head.append(event, outcome);
    const url = el("p", "url", h.url);
    const facts = el("p", "hook-facts");
    const details = el("details");
    details.append(el("summary", null, "Body"), el("pre", "body", JSON.stringify(h.body, null, 2)));
    node.append(head, url, facts, details);
    node.parts = { outcome, facts };
    return node;
  }

  function updateHook(node, h) {
    setText(node.parts.outcome, h.outcome);
    setData(node, "outcome", h.outcome);
    setData(node.parts.outcome, "outcome", h.outcome);
    const facts = [];
    facts.push(h.attempts === 1 ? "1 attempt" : h.attempts + " attempts");
    if (h.status != null) facts.push("HTTP " + h.status);
    if (h.error) facts.push(h.error);
    setText(node.parts.facts, facts.join(" · "));
  }

  // -- controls -----------------------------------------------------------------------------
  function wire() {
    document.querySelectorAll("[data-advance]").forEach((button) => {
      button.addEventListener("click", () => {
        const seconds = Number(button.dataset.advance);
        act(button, () => control("POST", "clock/advance", { seconds: seconds }), (r) => "Clock advanced to " + r.datetime + " UTC");
      });
    });
    $("reset").addEventListener("click", (ev) => {
      page.picked = false;
      act(ev.currentTarget, () => control("POST", "reset"), () => "Sandbox reset");
    });
    $("fail-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const kind = $("fail-kind").value;
      const path = $("fail-path").value.trim() || "*";
      const body = { method: "*", path: path };
      if (/^\d+$/.test(kind)) {
        const status = Number(kind);
        body.status = status;
        body.type = status === 429 ? "rate_limit" : "server_error";
        body.message = "Failure injected from the sandbox inbox";
      } else {
        body.fault = kind;
      }
      act($("fail-next"), () => control("POST", "fail-next", body), () => "The next request to " + path + " fails");
    });
    $("balance-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const input = $("balance-input");
      const value = Number(input.value);
      act($("balance-set"), () => control("POST", "account", { balance: value }), (r) => {
        input.value = "";
        return "Balance set to " + money(r.balance);
      });
    });
    $("reply-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const thread = page.threads.get(page.selected);
      if (!thread) return;
      const input = $("reply-text");
      const body = { from: thread.number, to: replyTarget(thread), text: input.value, channel: $("reply-channel").value };
      act($("reply-send"), () => control("POST", "inbound", body), () => {
        input.value = "";
        return "Reply received from " + thread.number;
      });
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) poll();
    });
  }

  wire();
  poll();
})();
