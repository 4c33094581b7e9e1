/*!
 * SPRO — widget de conversation (assistant orientation).
 * One tag:  <script src=".../widget/spro-widget.js" defer
 *                   data-region="Région" data-socket-url="https://rasa.exemple.fr"
 *                   data-position="right|left" data-color-primary="#000091"
 *                   data-color-on-primary="#ffffff" data-privacy-url="/confidentialite"></script>
 * The site chooses colours: keep a 4.5:1 contrast between primary and on-primary.
 * Talks to Rasa's socket.io channel through socket.io-client (vendor/socket.io.min.js,
 * copied by scripts/build-widget), loaded only when the citizen opens the widget.
 * Nothing is stored and nothing connects before that; then sessionStorage (this tab
 * only) keeps a random session id, the messages shown and the messages not yet sent.
 */
(function () {
  "use strict";

  var MAX_CHARS = 1000;
  var MAX_KEPT_MESSAGES = 200;
  var STORE_KEY = "spro-widget:v1";
  // The bot's answer once a conversation is erased (domain/privacy.yml).
  var ERASED = "utter_conversation_deleted";

  var script = document.currentScript ||
    document.querySelector("script[src*='spro-widget.js']");
  if (!script || window.__sproWidget) { return; }
  window.__sproWidget = true;

  var data = script.dataset;
  var config = {
    region: data.region || "",
    // INSEE region code of the site (data-region-code="53"): sent with each message,
    // it settles communes of the same name ("Saint-Denis") for the bot.
    regionCode: /^[0-9A-Za-z]{1,3}$/.test(data.regionCode || "") ? data.regionCode : "",
    socketUrl: data.socketUrl || "http://localhost:5005",
    socketPath: data.socketPath || "/socket.io",
    position: data.position === "left" ? "left" : "right",
    primary: data.colorPrimary || "",
    onPrimary: data.colorOnPrimary || "",
    privacyUrl: data.privacyUrl || "/confidentialite",
    clientUrl: new URL("../vendor/socket.io.min.js", script.src).href,
    cssUrl: new URL("spro-widget.css", script.src).href
  };

  // Network codes of the spec, in words (the payload carries only the code).
  var NETWORKS = {
    cio: "Centre d'information et d'orientation (CIO)",
    suio: "Service universitaire d'information et d'orientation (SUIO)",
    mission_locale: "Mission locale",
    france_travail: "France Travail (ex-Pôle emploi)",
    cap_emploi: "Cap emploi",
    apec: "Apec",
    transitions_pro: "Transitions Pro (ex-Fongecif)",
    info_jeunesse: "Information Jeunesse (CRIJ, BIJ, PIJ)",
    cidff: "Centre d'information sur les droits des femmes et des familles (CIDFF)",
    cci: "Chambre de commerce et d'industrie (CCI)",
    cma: "Chambre de métiers et de l'artisanat (CMA)",
    chambre_agriculture: "Chambre d'agriculture",
    conseil_vae: "France VAE / point relais conseil VAE",
    psad: "Plateforme de suivi et d'appui aux décrocheurs (PSAD)",
    france_services: "France services",
    greta: "Greta (formation continue de l'Éducation nationale)"
  };
  // Text lines of a referral that its cards replace (the project's socket.io channel names
  // each text's response); intro and outro lines stay.
  var SHOWN_AS_CARDS = /^utter_referral_(structure|remote)_/;
  var REMOTE_KINDS = { phone: "Téléphone", tchat: "Tchat", web: "Site web", visio: "Visio", mail: "Courriel" };

  var TEXT = {
    launcher: "Une question sur votre orientation ?",
    title: "Assistant orientation",
    close: "Fermer l'assistant",
    notice: "Conversation anonyme : n'indiquez ni nom ni coordonnées.",
    noticeLink: "En savoir plus",
    erased: "Votre conversation a été supprimée.",
    welcome: "Bonjour ! Je vous aide à trouver où vous adresser pour vous orienter, vous former ou " +
      "trouver un emploi. Posez votre question, par exemple : « je cherche du travail, j'habite à Tours ».",
    label: "Votre message",
    send: "Envoyer",
    connecting: "Connexion en cours…",
    lost: "Connexion perdue, nouvelle tentative…",
    noClient: "Le service de conversation est indisponible pour le moment. Nouvelle tentative…",
    pending: "en attente d'envoi",
    you: "Vous",
    bot: "Assistant",
    counsellor: "Conseiller·e",
    tooLong: function (n) {
      return "Votre message fait " + fmt(n) + " caractères : la limite est de " + fmt(MAX_CHARS) + ". " +
        "Raccourcissez-le ou envoyez-le en plusieurs fois.";
    },
    counter: function (n) { return fmt(n) + " / " + fmt(MAX_CHARS) + " caractères"; },
    referralTitle: function (n) { return n > 1 ? "Où vous adresser : " + n + " lieux" : "Où vous adresser"; },
    remoteTitle: "À distance",
    distance: function (km) { return km < 0.5 ? "À moins de 1 km" : "À " + km.toFixed(1).replace(".", ",") + " km"; },
    noDistance: "Service régional ou national, sans lieu d'accueil proche connu",
    why: "Pourquoi : ",
    phone: "Téléphone : ",
    email: "Courriel : ",
    website: "Site : ",
    newTab: " (nouvelle fenêtre)"
  };

  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f"); }

  // ---- state (sessionStorage, only once opened) --------------------------------------
  var state = load();   // null until the citizen opens the widget in this tab

  function load() {
    try {
      var raw = window.sessionStorage.getItem(STORE_KEY);
      var parsed = raw ? JSON.parse(raw) : null;
      return parsed && parsed.sessionId ? parsed : null;
    } catch (e) { return null; }
  }
  function save() {
    if (!state) { return; }
    state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* full or disabled: keep in memory */ }
  }
  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- DOM helpers ----------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }
  function externalLink(href, label) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer" },
      [label, el("span", { "class": "spro-sr-only", text: TEXT.newTab })]);
  }
  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // Text with bare URLs made into links (the bot's responses cite official sites).
  var URL_RE = /https?:\/\/[^\s<>"]+/g;
  function linkified(text) {
    var frag = document.createDocumentFragment();
    var last = 0;
    String(text).replace(URL_RE, function (match, offset) {
      var url = match.replace(/[.,;:!?)»]+$/, "");
      frag.appendChild(document.createTextNode(text.slice(last, offset)));
      frag.appendChild(externalLink(url, url));
      last = offset + url.length;
      return match;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }
  function telHref(phone) {
    var digits = String(phone).replace(/[^\d+]/g, "");
    if (/^0\d{9}$/.test(digits)) { digits = "+33" + digits.slice(1); }
    return digits ? "tel:" + digits : null;
  }
  function webHref(site) {
    if (/^https?:\/\//i.test(site)) { return site; }
    if (/^www\./i.test(site)) { return "https://" + site; }
    return null;
  }

  // A speech bubble drawn in SVG (no emoji: fonts without emoji show a blank box).
  function bubbleIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "spro-launcher-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  // ---- UI -----------------------------------------------------------------------------
  var ui = null;
  var socket = null;
  var confirmed = false;

  var root = el("div", { "class": "spro-widget spro-" + config.position });
  if (config.primary) { root.style.setProperty("--spro-primary", config.primary); }
  if (config.onPrimary) { root.style.setProperty("--spro-on-primary", config.onPrimary); }
  var launcher = el("button", { type: "button", "class": "spro-launcher", "aria-expanded": "false",
    "aria-controls": "spro-panel" }, [bubbleIcon(), TEXT.launcher]);
  launcher.addEventListener("click", function () { if (ui && !ui.panel.hidden) { close(); } else { open(); } });
  root.appendChild(launcher);

  function buildPanel() {
    var titleId = "spro-title";
    var panel = el("div", { id: "spro-panel", "class": "spro-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": titleId });
    panel.hidden = true;
    var closeBtn = el("button", { type: "button", "class": "spro-close", "aria-label": TEXT.close, title: TEXT.close },
      [el("span", { "aria-hidden": "true", text: "×" })]);
    closeBtn.addEventListener("click", close);
    var header = el("div", { "class": "spro-header" }, [
      el("h2", { id: titleId, "class": "spro-title",
        text: TEXT.title + (config.region ? " — " + config.region : "") }), closeBtn]);
    var notice = el("p", { "class": "spro-notice" }, [TEXT.notice + " ",
      el("a", { href: config.privacyUrl }, [TEXT.noticeLink, el("span", { "class": "spro-sr-only", text: " sur la confidentialité" })])]);
    var status = el("p", { "class": "spro-status", role: "status" });
    var log = el("div", { "class": "spro-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Messages de la conversation", tabindex: "0" });
    var form = el("form", { "class": "spro-form", novalidate: "" });
    var input = el("textarea", { id: "spro-input", "class": "spro-input", rows: "2", name: "message",
      autocomplete: "off", "aria-describedby": "spro-counter spro-error" });
    var label = el("label", { "for": "spro-input", "class": "spro-label", text: TEXT.label });
    var counter = el("p", { id: "spro-counter", "class": "spro-counter", text: TEXT.counter(0) });
    var error = el("p", { id: "spro-error", "class": "spro-error", role: "alert" });
    var send = el("button", { type: "submit", "class": "spro-send", text: TEXT.send });
    form.appendChild(label);
    form.appendChild(el("div", { "class": "spro-row" }, [input, send]));
    form.appendChild(counter);
    form.appendChild(error);
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    input.addEventListener("input", updateCounter);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    });
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    [header, notice, status, log, form].forEach(function (n) { panel.appendChild(n); });
    root.insertBefore(panel, launcher);
    return { panel: panel, log: log, input: input, counter: counter, error: error, status: status };
  }

  function updateCounter() {
    var n = ui.input.value.length;
    ui.counter.textContent = TEXT.counter(n);
    var over = n > MAX_CHARS;
    ui.counter.classList.toggle("spro-over", over);
    if (over) { ui.input.setAttribute("aria-invalid", "true"); } else { ui.input.removeAttribute("aria-invalid"); ui.error.textContent = ""; }
  }

  // `restoring`: reopened by a page load, so focus stays where the browser puts it.
  function open(restoring) {
    if (!state) {
      state = { sessionId: newSessionId(), open: true, seq: 0, messages: [], queue: [] };
      addMessage({ from: "bot", kind: "text", text: TEXT.welcome });
    }
    state.open = true;
    save();
    if (!ui) {
      ui = buildPanel();
      state.messages.forEach(function (m) { ui.log.appendChild(renderMessage(m)); });
    }
    ui.panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("spro-open");
    scrollToEnd();
    if (restoring !== true) { ui.input.focus(); }
    connect();
  }

  function close() {
    if (!ui) { return; }
    ui.panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("spro-open");
    if (state) { state.open = false; save(); }
    launcher.focus();
  }

  function scrollToEnd() {
    if (!ui) { return; }
    ui.log.scrollTo({ top: ui.log.scrollHeight, behavior: reducedMotion() ? "auto" : "smooth" });
  }

  function setStatus(text) {
    if (ui && ui.status.textContent !== text) { ui.status.textContent = text; }
    root.classList.toggle("spro-offline", !!text);
  }

  // ---- messages ------------------------------------------------------------------------
  // `at`: index in state.messages to insert at (default: the end).
  function addMessage(message, at) {
    state.seq = (state.seq || 0) + 1;
    message.id = state.seq;
    var next = typeof at === "number" ? state.messages[at] : undefined;
    if (next) { state.messages.splice(at, 0, message); } else { state.messages.push(message); }
    save();
    if (ui) {
      var nextNode = next && ui.log.querySelector("[data-id='" + next.id + "']");
      ui.log.insertBefore(renderMessage(message), nextNode || null);
      scrollToEnd();
    }
    return message;
  }

  function renderMessage(m) {
    var who = el("span", { "class": "spro-sr-only", text: (m.from === "user" ? TEXT.you : TEXT.bot) + " : " });
    var item = el("div", { "class": "spro-msg spro-from-" + m.from, "data-id": String(m.id) });
    if (m.counsellor) {  // written by a counsellor (remote handoff), not by the assistant
      item.classList.add("spro-from-counsellor");
      who = el("span", { "class": "spro-who", text: TEXT.counsellor + " : " });
    }
    if (m.kind === "referral") {
      item.appendChild(renderReferral(m.payload));
      return item;
    }
    var bubble = el("p", { "class": "spro-bubble" }, [who]);
    bubble.appendChild(m.from === "bot" ? linkified(m.text) : document.createTextNode(m.text));
    if (m.pending) { bubble.appendChild(el("span", { "class": "spro-pending", text: " (" + TEXT.pending + ")" })); }
    item.appendChild(bubble);
    if (m.buttons && m.buttons.length && !m.answered) {
      var group = el("div", { "class": "spro-buttons", role: "group", "aria-label": "Réponses proposées" });
      m.buttons.forEach(function (b) {
        var btn = el("button", { type: "button", "class": "spro-choice", text: b.title });
        btn.addEventListener("click", function () {
          m.answered = true;
          group.remove();
          sendText(b.title, b.payload);
          if (ui) { ui.input.focus(); }
        });
        group.appendChild(btn);
      });
      item.appendChild(group);
    }
    return item;
  }

  function renderReferral(p) {
    var structures = Array.isArray(p.structures) ? p.structures : [];
    var remote = Array.isArray(p.remote) ? p.remote : [];
    var section = el("div", { "class": "spro-referral" });
    if (structures.length) {
      section.appendChild(el("h3", { "class": "spro-referral-title", text: TEXT.referralTitle(structures.length) }));
      var list = el("ol", { "class": "spro-cards" });
      structures.forEach(function (s) { list.appendChild(renderStructure(s)); });
      section.appendChild(list);
    }
    if (remote.length) {
      section.appendChild(el("h3", { "class": "spro-referral-title", text: TEXT.remoteTitle }));
      var ul = el("ul", { "class": "spro-remote" });
      remote.forEach(function (r) { ul.appendChild(renderRemote(r)); });
      section.appendChild(ul);
    }
    return section;
  }

  function renderStructure(s) {
    var card = el("li", { "class": "spro-card" });
    card.appendChild(el("p", { "class": "spro-card-name", text: s.name || "" }));
    var network = s.network_label || NETWORKS[s.network] || s.network;
    if (network && network !== s.name) { card.appendChild(el("p", { "class": "spro-card-network", text: network })); }
    var address = [s.address, [s.postcode, s.commune].filter(Boolean).join(" ")].filter(Boolean).join(", ");
    if (address) {
      card.appendChild(el("p", { "class": "spro-card-address", text: address }));
    }
    card.appendChild(el("p", { "class": "spro-card-distance",
      text: typeof s.distance_km === "number" ? TEXT.distance(s.distance_km) : TEXT.noDistance }));
    if (s.reason) { card.appendChild(el("p", { "class": "spro-card-reason", text: TEXT.why + s.reason })); }
    var contacts = el("ul", { "class": "spro-contacts" });
    var tel = s.phone && telHref(s.phone);
    if (tel) { contacts.appendChild(el("li", {}, [TEXT.phone, el("a", { href: tel, text: s.phone })])); }
    if (s.email) { contacts.appendChild(el("li", {}, [TEXT.email, el("a", { href: "mailto:" + s.email, text: s.email })])); }
    var site = s.website && webHref(s.website);
    if (site) { contacts.appendChild(el("li", {}, [TEXT.website, externalLink(site, s.website)])); }
    if (contacts.childNodes.length) { card.appendChild(contacts); }
    return card;
  }

  function renderRemote(r) {
    var kind = REMOTE_KINDS[r.kind] || r.kind || "";
    var li = el("li", {}, [el("span", { "class": "spro-remote-name", text: r.name || "" }), kind ? " — " + kind + " : " : " : "]);
    var contact = r.contact || "";
    var href = null;
    if (r.kind === "phone") { href = telHref(contact); } else if (r.kind === "mail" && contact.indexOf("@") > 0) { href = "mailto:" + contact; } else { href = webHref(contact); }
    if (href && r.kind === "phone") { li.appendChild(el("a", { href: href, text: contact })); } else if (href && r.kind === "mail") { li.appendChild(el("a", { href: href, text: contact })); } else if (href) { li.appendChild(externalLink(href, contact)); } else { li.appendChild(document.createTextNode(contact)); }
    if (r.hours) { li.appendChild(document.createTextNode(" (" + r.hours + ")")); }
    return li;
  }

  function onBotMessage(msg) {
    if (!msg || typeof msg !== "object") { return; }
    if (msg.utter_action === ERASED) { forgetConversation(msg.text); return; }
    var custom = msg.custom;
    if (custom && custom.type === "referral") {
      // The cards take the place of the text lines they replace (before the outro).
      addMessage({ from: "bot", kind: "referral", payload: custom }, dropTextShownAsCards());
    }
    var buttons = msg.quick_replies || msg.buttons;
    if (typeof msg.text === "string" && msg.text) {
      addMessage({ from: "bot", kind: "text", text: msg.text,
        utter: typeof msg.utter_action === "string" ? msg.utter_action : undefined,
        counsellor: msg.counsellor === true || undefined,
        buttons: Array.isArray(buttons) ? buttons.map(function (b) { return { title: b.title, payload: b.payload }; }) : [] });
    }
    var att = msg.attachment;
    if (att && att.payload && att.payload.src) {
      addMessage({ from: "bot", kind: "text", text: att.payload.src });
    }
  }

  // The conversation was erased on the server: this tab forgets it too (the messages
  // shown, sessionStorage) and goes on with a new, unrelated session id.
  function forgetConversation(confirmation) {
    state = { sessionId: newSessionId(), open: true, seq: 0, messages: [], queue: [] };
    try { window.sessionStorage.removeItem(STORE_KEY); } catch (e) { /* disabled: nothing kept */ }
    if (ui) { ui.log.textContent = ""; }
    addMessage({ from: "bot", kind: "text", text: confirmation || TEXT.erased });
    if (socket && socket.connected) {
      confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    }
  }

  // The referral's text lines of this turn (since the last user message) give way to
  // cards. Returns where the first one was (undefined when there was none).
  function dropTextShownAsCards() {
    var first;
    for (var i = state.messages.length - 1; i >= 0 && state.messages[i].from === "bot"; i--) {
      var m = state.messages[i];
      if (m.kind === "text" && m.utter && SHOWN_AS_CARDS.test(m.utter)) {
        state.messages.splice(i, 1);
        var node = ui && ui.log.querySelector("[data-id='" + m.id + "']");
        if (node) { node.remove(); }
        first = i;
      }
    }
    save();
    return first;
  }

  // ---- sending -------------------------------------------------------------------------
  function submit() {
    var text = ui.input.value.trim();
    if (!text) { return; }
    if (text.length > MAX_CHARS) {
      ui.error.textContent = TEXT.tooLong(text.length);
      ui.input.setAttribute("aria-invalid", "true");
      ui.input.focus();
      return;
    }
    ui.input.value = "";
    updateCounter();
    sendText(text, text);
  }

  // `shown` is what the citizen sees as theirs; `message` what Rasa gets (a button payload).
  function sendText(shown, message) {
    var online = confirmed && socket && socket.connected;
    var entry = addMessage({ from: "user", kind: "text", text: shown, pending: !online });
    if (online) {
      socket.emit("user_uttered", outgoing(message));
    } else {
      state.queue.push({ message: message, id: entry.id });
      save();
    }
  }

  function outgoing(message) {
    var data = { message: message, session_id: state.sessionId };
    if (config.regionCode) { data.metadata = { region: config.regionCode }; }
    return data;
  }

  function flushQueue() {
    var queue = state.queue;
    state.queue = [];
    queue.forEach(function (q) {
      socket.emit("user_uttered", outgoing(q.message));
      var m = state.messages.filter(function (x) { return x.id === q.id; })[0];
      if (m && m.pending) {
        m.pending = false;
        var node = ui && ui.log.querySelector("[data-id='" + q.id + "'] .spro-pending");
        if (node) { node.remove(); }
      }
    });
    save();
  }

  // ---- socket.io -----------------------------------------------------------------------
  var clientLoading = false;
  function connect() {
    if (socket) { return; }
    if (typeof window.io !== "function") {
      if (clientLoading) { return; }
      clientLoading = true;
      setStatus(TEXT.connecting);
      var tag = el("script", { src: config.clientUrl, async: "" });
      tag.addEventListener("load", function () { clientLoading = false; connect(); });
      tag.addEventListener("error", function () {
        clientLoading = false;
        tag.remove();
        setStatus(TEXT.noClient);
        window.setTimeout(connect, 5000);
      });
      document.head.appendChild(tag);
      return;
    }
    setStatus(TEXT.connecting);
    socket = window.io(config.socketUrl, {
      path: config.socketPath,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      withCredentials: false
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function () {
      confirmed = true;
      setStatus("");
      flushQueue();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () { confirmed = false; setStatus(TEXT.lost); });
    socket.on("connect_error", function () { confirmed = false; setStatus(TEXT.lost); });
  }

  // ---- start ---------------------------------------------------------------------------
  function start() {
    document.head.appendChild(el("link", { rel: "stylesheet", href: config.cssUrl }));
    document.body.appendChild(root);
    if (state && state.open) { open(true); }
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }

  // Extension point (counsellor handoff, satisfaction): other scripts may listen.
  window.SproWidget = { open: open, close: close, version: "0.1.0" };
})();
