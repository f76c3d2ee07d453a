/* The candidate interview, enhanced: the page's forms keep working without this file.
 *
 * With it, the start and answer forms call the JSON API (/api/interview/{token}) instead of
 * reloading; new messages are appended as text (never as HTML), announced through a polite live
 * region, and focus goes back to the answer box when the interviewer has replied. Served from
 * 'self' only (the Content-Security-Policy allows nothing else): no inline code, no third party.
 */
(function () {
  "use strict";

  var MAX_POLLS = 12;

  function byId(id) { return document.getElementById(id); }

  function chars(text) { return Array.from(text).length; }

  function formatNumber(n) { return n.toLocaleString("en"); }

  function focusHeading(id) {
    var heading = byId(id);
    if (heading) { heading.focus({ preventScroll: true }); }
  }

  function request(url, method, body) {
    var options = { method: method, headers: { "Accept": "application/json" }, cache: "no-store",
                    credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function errorText(result, fallback) {
    return (result && result.data && typeof result.data.error === "string") ? result.data.error : fallback;
  }

  var OFFLINE = "Your answer could not be sent: the connection failed. Check that you are online and send it " +
                "again; your text is still in the box.";

  /* --- the welcome page ------------------------------------------------------------------------ */

  function initStart(form) {
    var button = byId("start-button");
    var error = byId("start-error");
    var thinking = byId("start-thinking");
    var busy = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      error.textContent = "";
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Starting…";
      thinking.hidden = false;
      request(form.dataset.api + "/start", "POST").then(function (result) {
        if (result.status === 200 || result.status === 404 || result.status === 410) {
          window.location.assign(form.dataset.page);  // the chat, or the page saying why it is closed
          return;
        }
        fail(errorText(result, "The interview could not be started. Try again in a moment."));
      }, function () {
        fail("The interview could not be started: the connection failed. Check that you are online and try again.");
      });
    });

    function fail(message) {
      busy = false;
      thinking.hidden = true;
      button.removeAttribute("aria-disabled");
      button.textContent = "Start the interview";
      error.textContent = message;
      button.focus();
    }
  }

  /* --- the chat -------------------------------------------------------------------------------- */

  function Chat(form) {
    this.form = form;
    this.api = form.dataset.api;
    this.page = form.dataset.page;
    this.maxChars = parseInt(form.dataset.maxChars, 10);
    this.lastSeq = parseInt(form.dataset.lastSeq, 10) || 0;
    this.box = byId("answer");
    this.count = byId("answer-count");
    this.error = byId("answer-error");
    this.button = byId("send-button");
    this.thinking = byId("thinking");
    this.transcript = byId("transcript");
    this.announcer = byId("announcer");
    this.progress = byId("progress");
    this.busy = false;
    this.polls = 0;
    this.sent = "";
  }

  Chat.prototype.init = function () {
    var chat = this;
    var hint = this.form.querySelector(".js-only");
    if (hint) { hint.hidden = false; }
    if (!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"))) {
      this.box.addEventListener("input", function () { chat.grow(); });
    }
    this.box.addEventListener("input", function () { chat.updateCount(); });
    this.box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        chat.send();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      chat.send();
    });
    this.updateCount();
    var last = this.transcript.lastElementChild;
    if (last && this.transcript.children.length > 2 && !window.location.hash) {
      last.scrollIntoView({ block: "start" });  // resuming: the current question, not the top of the page
    }
    if (this.form.dataset.waiting === "interviewer") {
      this.setBusy(true);
      this.schedulePoll(parseInt(this.form.dataset.retryAfter, 10) || 5);
    }
  };

  Chat.prototype.grow = function () {
    this.box.style.height = "auto";
    this.box.style.height = this.box.scrollHeight + 2 + "px";
  };

  Chat.prototype.lengthProblem = function (text) {
    var n = chars(text);
    if (n <= this.maxChars) { return null; }
    return "Your answer is " + formatNumber(n) + " characters long; the limit is " + formatNumber(this.maxChars) +
           ". Shorten it, or split it over two messages, then send it again.";
  };

  Chat.prototype.updateCount = function () {
    var text = this.box.value.trim();
    var n = chars(text);
    var problem = this.lengthProblem(text);
    this.count.textContent = formatNumber(n) + " of " + formatNumber(this.maxChars) + " characters";
    this.count.classList.toggle("over", problem !== null);
    if (problem) {
      if (this.error.dataset.kind !== "length" || this.error.textContent !== problem) {
        this.showError(problem, "length");
      }
    } else if (this.error.dataset.kind === "length") {
      this.showError("", "");
    }
  };

  Chat.prototype.showError = function (message, kind) {
    this.error.textContent = message;
    this.error.dataset.kind = kind || "";
    if (message) { this.box.setAttribute("aria-invalid", "true"); } else { this.box.removeAttribute("aria-invalid"); }
  };

  Chat.prototype.announce = function (message) {
    var announcer = this.announcer;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  };

  Chat.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.box.readOnly = busy;
    this.thinking.hidden = !busy;
    if (busy) {
      this.button.setAttribute("aria-disabled", "true");
      this.button.textContent = "Sending…";
    } else {
      this.button.removeAttribute("aria-disabled");
      this.button.textContent = "Send answer";
    }
  };

  Chat.prototype.appendMessage = function (role, content, seq) {
    var item = document.createElement("li");
    var who = document.createElement("p");
    var text = document.createElement("p");
    item.className = "msg msg-" + role;
    who.className = "msg-who";
    who.textContent = role === "candidate" ? "You" : "Interviewer (AI)";
    text.className = "msg-text";
    text.textContent = content;
    item.appendChild(who);
    item.appendChild(text);
    if (seq) {
      item.id = "message-" + seq;
      item.dataset.seq = String(seq);
    } else {
      item.classList.add("msg-pending");
    }
    this.transcript.appendChild(item);
    return item;
  };

  Chat.prototype.send = function () {
    if (this.busy) { return; }
    var chat = this;
    var text = this.box.value.trim();
    var problem = text ? this.lengthProblem(text) : "Your answer is empty. Write your answer in the box, then send it.";
    if (problem) {
      this.showError(problem, text ? "length" : "empty");
      this.box.focus();
      return;
    }
    this.showError("", "");
    var pending = this.appendMessage("candidate", text, 0);
    this.sent = this.box.value;
    this.box.value = "";  // the answer now shows in the conversation; a refusal puts it back
    this.box.style.height = "";
    this.updateCount();
    this.setBusy(true);
    pending.scrollIntoView({ block: "nearest" });
    this.announce("Answer sent. The interviewer is thinking.");
    request(this.api + "/answers", "POST", { text: text }).then(function (result) {
      chat.handle(result, pending);
    }, function () {
      pending.remove();
      chat.refused(OFFLINE);
    });
  };

  Chat.prototype.handle = function (result, pending) {
    if (result.status === 200 && result.data) {
      if (pending) { pending.remove(); }
      this.render(result.data);
      return;
    }
    if (pending) { pending.remove(); }
    if (result.status === 404 || result.status === 410) {
      window.location.assign(this.page);  // the page that says the link is closed and whom to contact
      return;
    }
    this.refused(errorText(result, "Your answer could not be sent. Try again in a moment; your text is still in the box."));
  };

  Chat.prototype.refused = function (message) {
    this.setBusy(false);
    if (this.sent && !this.box.value) {
      this.box.value = this.sent;
      this.updateCount();
    }
    this.sent = "";
    this.showError(message, "refused");
    this.box.focus();
  };

  Chat.prototype.render = function (state) {
    var chat = this;
    var newest = null;
    state.messages.forEach(function (m) {
      if (m.seq > chat.lastSeq) {
        var item = chat.appendMessage(m.role, m.content, m.seq);
        chat.lastSeq = m.seq;
        if (m.role === "interviewer") { newest = { item: item, content: m.content }; }
      }
    });
    if (state.progress && state.progress.question > 0 && !state.complete) {
      this.progress.textContent = "Question " + state.progress.question + " of about " + state.progress.of_about;
      this.progress.hidden = false;
      document.title = this.progress.textContent + " · " + document.title.split(" · ").slice(-2).join(" · ");
    }
    if (state.complete) { this.finish(newest); return; }
    if (state.waiting_for === "interviewer") {
      this.form.hidden = false;
      this.schedulePoll(state.retry_after_seconds || 5);
      return;
    }
    this.polls = 0;
    var notice = byId("reply-notice");
    if (notice) { notice.remove(); }
    this.form.hidden = false;
    this.setBusy(false);
    this.sent = "";
    if (newest) {
      newest.item.scrollIntoView({ block: "start" });
      this.announce("Interviewer: " + newest.content);
    }
    this.box.focus({ preventScroll: true });
  };

  Chat.prototype.schedulePoll = function (seconds) {
    var chat = this;
    this.polls += 1;
    if (this.polls > MAX_POLLS) {
      this.setBusy(false);
      this.thinking.hidden = true;
      this.showError("The interviewer has not replied yet. Your answer is saved: reload this page in a minute " +
                     "to see the reply.", "waiting");
      return;
    }
    window.setTimeout(function () {
      request(chat.api, "GET").then(function (result) { chat.handle(result, null); },
                                    function () { chat.schedulePoll(seconds); });
    }, Math.max(1, seconds) * 1000);
  };

  Chat.prototype.finish = function (closing) {
    var end = byId("end");
    this.thinking.hidden = true;
    this.form.remove();
    this.progress.hidden = true;
    end.hidden = false;
    if (closing) { this.announce("Interviewer: " + closing.content); }
    end.scrollIntoView({ block: "start" });
    focusHeading("end-heading");
  };

  /* --- start ----------------------------------------------------------------------------------- */

  var startForm = byId("start-form");
  var composer = byId("composer");
  if (startForm) { initStart(startForm); }
  if (composer) {
    new Chat(composer).init();
  }
  var refused = byId("answer-error");
  if (refused && refused.textContent.trim()) {
    byId("answer").focus();  // the server refused the answer the form sent: the box is what to fix
  } else {
    focusHeading("page-heading");
  }
})();
