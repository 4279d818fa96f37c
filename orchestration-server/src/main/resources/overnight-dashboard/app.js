// Overnight's dashboard: reads /api/ for the current picture, then follows /ws for everything
// that happens. Plain DOM, no framework and no build step; every text from agents or tasks is
// inserted as text, never as HTML. The JSON it reads is Overnight's canonical shapes
// (docs/schema/): snake_case keys, absent values left out, stream messages as {type, id, data}.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    sessions: new Map(), // session_id -> {summary, events: Map(sequence -> event)}
    selected: null,
    pinned: false,
    lastId: 0,
    status: null,
    taskLimit: 50,
    timeline: [],
    socket: null,
    retryDelay: 1000,
    authorized: true,
    // The server's clock minus the browser's: a night on virtual time (the demo) keeps its own.
    clockOffset: 0,
    daemon: { running: true, controls: true },
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // Now on the server's clock, which is the night's.
  function now() {
    return Date.now() + state.clockOffset;
  }

  function relative(iso) {
    if (!iso) return "";
    const seconds = Math.round((Date.parse(iso) - now()) / 1000);
    const abs = Math.abs(seconds);
    let text;
    if (abs < 5) return "just now";
    if (abs < 45) text = abs + " s";
    else if (abs < 3600) text = Math.round(abs / 60) + " min";
    else if (abs < 86400) {
      const minutes = Math.round(abs / 60);
      const h = Math.floor(minutes / 60);
      const m = minutes % 60;
      text = h + " h" + (m ? " " + m + " min" : "");
    } else text = Math.round(abs / 86400) + " d";
    return seconds >= 0 ? "in " + text : text + " ago";
  }

  // When something happened: "5 min ago", or the date and time when it lies ahead of the clock
  // (a state folder written on another clock, such as a demo's virtual night).
  function past(iso) {
    if (!iso) return "";
    if (Date.parse(iso) - now() > 60000) return dateTime(iso);
    return relative(iso);
  }

  function dateTime(iso) {
    return new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function clock(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function timeEl(iso, text) {
    return el("time", { datetime: iso, title: iso ? new Date(iso).toLocaleString() : "" },
      text !== undefined ? text : past(iso));
  }

  function notice(text, kind) {
    const n = $("notice");
    n.textContent = text;
    n.dataset.kind = kind || "info";
    n.hidden = false;
    clearTimeout(notice.timer);
    notice.timer = setTimeout(() => { n.hidden = true; }, 8000);
  }

  function debounce(fn, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  async function api(path, options) {
    const init = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (init.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(init.body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      unauthorized();
      throw new Error("unauthorized");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.message || response.status + " " + response.statusText);
    }
    return body;
  }

  function unauthorized() {
    state.authorized = false;
    $("connection").dataset.status = "unauthorized";
    $("connection").textContent = "no token";
    notice("Not authorized: open the address Overnight printed (it ends with ?token=…).", "error");
  }

  // ------------------------------------------------------------------ status

  async function loadStatus() {
    try {
      renderStatus(await api("/api/status"));
    } catch (e) {
      if (state.authorized) notice("Could not read the status: " + e.message, "error");
    }
  }

  function renderStatus(s) {
    state.status = s;
    if (s.server && s.server.time) state.clockOffset = Date.parse(s.server.time) - Date.now();
    const daemon = s.daemon || { running: true, controls: true };
    state.daemon = daemon;
    const badge = $("state");
    badge.textContent = daemon.running ? s.scheduler.name : "no daemon";
    badge.dataset.state = s.scheduler.name;
    const paused = s.scheduler.name === "paused";
    $("pause").hidden = paused;
    $("resume").hidden = !paused;
    // What no daemon can do is not offered: the buttons say why instead.
    for (const id of ["run-now", "pause", "resume"]) {
      const button = $(id);
      button.disabled = !daemon.controls;
      if (daemon.controls) button.removeAttribute("title");
      else button.title = daemon.note || "";
    }
    // Night alarms go first and stay until the history clears them: an empty week is news.
    const alarms = clear($("alarms"));
    alarms.hidden = !(s.alarms && s.alarms.length);
    for (const a of s.alarms || []) alarms.append(el("p", { "data-alarm": a.kind, text: "Alarm: " + a.message }));
    const note = $("daemon-note");
    note.hidden = !daemon.note;
    note.textContent = daemon.note || "";
    if (!state.timeline.length) {
      clear($("timeline")).append(el("li", { class: "muted",
        text: daemon.running ? "Nothing happened since the page opened." : "Nothing streams here: no daemon runs on this folder." }));
    }
    const reason = $("pause-reason");
    reason.hidden = !paused;
    reason.textContent = paused ? "Paused: " + s.scheduler.reason : "";
    renderNextWake();

    const m = s.metrics || {};
    const rows = [
      ["Cycles", m.cycle_count],
      ["Last run", m.last_run_time ? past(m.last_run_time) : "never"],
      ["Skipped", Object.entries(m.skipped_by_reason || {}).map(([k, v]) => k + ": " + v).join(", ") || "none"],
    ];
    if (s.coordinator) {
      const c = s.coordinator;
      rows.push(["Tasks", c.tasks_completed + " done, " + c.tasks_failed + " failed, " + c.tasks_retried + " retried"]);
      rows.push(["Agent time", Math.round(c.agent_seconds / 60) + " min"]);
      if (c.tokens) rows.push(["Tokens", c.tokens.toLocaleString()]);
      if (c.cost_usd !== undefined) rows.push(["Cost", "$" + c.cost_usd.toFixed(2)]);
    }
    rows.push(["Watching", s.server ? s.server.clients + " client(s)" : "?"]);
    const dl = clear($("metrics"));
    for (const [k, v] of rows) dl.append(el("dt", { text: k }), el("dd", { text: v === undefined ? "" : v }));

    const list = clear($("constraints"));
    const names = Object.keys(s.constraints || {});
    if (!names.length) list.append(el("li", { class: "muted", text: daemon.running ? "Not checked yet." : "Checked by a running daemon only." }));
    for (const name of names) {
      const r = s.constraints[name];
      list.append(el("li", { "data-constraint": name },
        el("span", { class: "badge", "data-status": r.status, text: r.status }),
        el("span", { class: "name", text: name }),
        el("span", { class: "muted", text: r.reason })));
    }
    $("constraints-at").textContent = s.constraints_checked_at ? "checked " + past(s.constraints_checked_at) : "";

    // What each agent used of its usage window, so a spent window explains an idle agent.
    const quota = clear($("quota"));
    if (!(s.quota && s.quota.length)) quota.append(el("li", { class: "muted", text: "No usage window learned yet." }));
    for (const w of s.quota || []) {
      const share = w.limit_tokens ? Math.round(100 * w.used_tokens / Math.max(1, w.limit_tokens)) : null;
      quota.append(el("li", { "data-quota": w.agent_id },
        el("span", { class: "badge", "data-status": w.exhausted ? "unsatisfied" : "satisfied", text: w.exhausted ? "spent" : share === null ? "open" : share + "%" }),
        el("span", { class: "name", text: w.agent_id }),
        el("span", { class: "muted", text: w.used_tokens.toLocaleString() + (w.limit_tokens ? " of " + w.limit_tokens.toLocaleString() : "") + " tokens" + (w.resets_at ? ", resets " + dateTime(w.resets_at) : "") })));
    }

    const agents = clear($("agents"));
    const ids = Object.keys(s.agents || {});
    if (!ids.length) agents.append(el("li", { class: "muted", text: "No agent information." }));
    for (const id of ids) {
      const a = s.agents[id];
      agents.append(el("li", null,
        el("span", { class: "badge", "data-status": a.available ? "satisfied" : "unsatisfied", text: a.available ? "ready" : "unavailable" }),
        el("span", { class: "name", text: id }),
        el("span", { class: "muted", text: a.reason + (a.remedy ? " — " + a.remedy : "") })));
    }
  }

  function renderNextWake() {
    const s = state.status;
    const target = $("next-wake");
    if (!s) return;
    if (s.scheduler.name === "running" && s.next_wake) {
      target.textContent = "next wake " + relative(s.next_wake) + " (" + clock(s.next_wake) + ")";
    } else if (s.scheduler.name === "paused" && s.scheduler.retry_at) {
      target.textContent = "checks again " + relative(s.scheduler.retry_at);
    } else {
      target.textContent = "";
    }
  }

  // ------------------------------------------------------------------ queue

  async function loadTasks() {
    const filter = $("queue-filter").value;
    const query = "?limit=" + state.taskLimit + (filter ? "&status=" + encodeURIComponent(filter) : "");
    try {
      renderTasks(await api("/api/tasks" + query));
    } catch (e) {
      if (state.authorized) notice("Could not read the queue: " + e.message, "error");
    }
  }

  function renderTasks(page) {
    // Redrawing an unchanged table would only lose a half-confirmed button.
    const key = JSON.stringify(page);
    if (key === state.tasksKey) return;
    state.tasksKey = key;
    const body = clear($("tasks").tBodies[0]);
    $("queue-total").textContent = page.total ? "(" + page.total + ")" : "";
    if (!page.items.length) {
      body.append(el("tr", { class: "empty" }, el("td", { colspan: 6, class: "muted", text: "The queue is empty." })));
    }
    for (const t of page.items) {
      const detail = t.last_error || t.facts.rationale || t.facts.branch || "";
      const actions = el("td", { class: "actions" });
      if (t.status === "pending" || t.status === "in_progress") {
        actions.append(confirmButton("Cancel", "cancel", () => taskAction(t, "cancel")));
      }
      if (t.status === "failed" || t.status === "cancelled") {
        actions.append(el("button", { type: "button", class: "small retry", onclick: () => taskAction(t, "retry") }, "Retry"));
      }
      body.append(el("tr", { "data-task-id": t.id, "data-status": t.status },
        el("td", { class: "task" }, el("span", { class: "task-title", title: t.prompt, text: t.title }),
          detail ? el("span", { class: "sub", text: detail }) : null,
          // The reviewing agent's verdict (review.enabled), with its reasons on hover.
          t.facts.review_verdict ? el("span", { class: "sub review", "data-verdict": t.facts.review_verdict,
            title: t.facts.review_reasons || "", text: "review: " + t.facts.review_verdict.replace("_", " ") }) : null,
          t.facts.pipeline ? el("span", { class: "sub steps", text: pipelineSteps(t) }) : null,
          // Where the task's pull request stands: open, checks failing, changes requested, merged, closed.
          t.facts.pr_url ? el("span", { class: "sub pr", "data-pr-state": t.facts.pr_state || "open",
            title: t.facts.pr_url, text: "pull request: " + (t.facts.pr_state || "open").replace("_", " ") }) : null,
          t.facts.follow_up_answering ? el("span", { class: "sub follow-up", text: "follow-up answering " + t.facts.follow_up_answering }) : null),
        el("td", { class: "status" }, el("span", { class: "badge", "data-status": t.status, text: t.status.replace("_", " ") })),
        el("td", { class: "agent", text: t.facts.agent || t.agent_id || "any" }),
        el("td", { class: "num tries", title: "attempts", text: t.attempts + "/" + t.max_attempts }),
        el("td", { class: "updated" }, timeEl(t.updated_at)),
        actions));
    }
    $("tasks-more").hidden = !page.has_more;
  }

  // A pipeline's steps as the task records them: "bump succeeded · build failed · running fix".
  function pipelineSteps(t) {
    let steps = {};
    try {
      steps = JSON.parse(t.facts.pipeline_steps || "{}");
    } catch (e) {
      steps = {};
    }
    const parts = Object.keys(steps).map((id) => id + " " + steps[id].status);
    const current = t.facts.pipeline_step;
    if (current && !(current in steps)) {
      parts.push((t.status === "in_progress" ? "running " : "stopped in ") + current);
    }
    return "pipeline " + t.facts.pipeline + ": " + (parts.length ? parts.join(" · ") : "no step run yet");
  }

  // A destructive button asks again before acting: the first press arms it for a few seconds.
  function confirmButton(label, cls, action) {
    const button = el("button", { type: "button", class: "small " + cls }, label);
    button.addEventListener("click", () => {
      if (button.dataset.armed === "true") {
        button.disabled = true;
        action();
        return;
      }
      button.dataset.armed = "true";
      button.classList.add("confirm");
      button.textContent = "Confirm " + label.toLowerCase();
      setTimeout(() => {
        button.dataset.armed = "false";
        button.classList.remove("confirm");
        button.textContent = label;
      }, 4000);
    });
    return button;
  }

  async function taskAction(task, action) {
    try {
      const t = await api("/api/tasks/" + encodeURIComponent(task.id) + "/" + action, { method: "POST", body: {} });
      notice((action === "cancel" ? "Cancelled: " : "Back in the queue: ") + t.title);
    } catch (e) {
      notice("Could not " + action + " the task: " + e.message, "error");
    }
    loadTasks();
  }

  // ------------------------------------------------------------------ fleet

  async function loadFleet() {
    try {
      renderFleet(await api("/api/fleet"));
    } catch (e) {
      if (state.authorized) notice("Could not read the fleet: " + e.message, "error");
    }
  }

  function renderFleet(fleet) {
    const key = JSON.stringify(fleet.machines) + JSON.stringify(fleet.queue);
    if (key === state.fleetKey) return;
    state.fleetKey = key;
    const body = clear($("machines").tBodies[0]);
    const n = fleet.machines.length;
    $("fleet-total").textContent = n ? "(" + n + (n === 1 ? " machine)" : " machines)") : "";
    if (!n) {
      body.append(el("tr", { class: "empty" }, el("td", { colspan: 5, class: "muted", text: "No machine has recorded itself yet." })));
    }
    const on = $("enqueue-on");
    const chosen = on.value;
    clear(on).append(el("option", { value: "" }, "any machine"));
    for (const m of fleet.machines) {
      const stateText = m.offline ? "offline since " + dateTime(m.offline_since) : m.state.replaceAll("_", " ");
      body.append(el("tr", { "data-worker-id": m.id, "data-state": m.offline ? "offline" : m.state },
        el("td", { class: "machine" }, el("span", { class: "task-title", text: m.name }), el("span", { class: "sub", text: m.id })),
        el("td", { class: "state" }, el("span", { class: "badge", "data-state": m.offline ? "offline" : m.state, text: stateText }),
          m.unmet_constraints.length ? el("span", { class: "sub", text: m.unmet_constraints.join("; ") }) : null),
        el("td", { class: "updated" }, timeEl(m.last_heartbeat)),
        el("td", { class: "running", text: m.offline ? "" : m.current_tasks.map((t) => t.slice(0, 8)).join(", ") }),
        el("td", { class: "labels small", text: m.labels.join(" ") })));
      on.append(el("option", { value: m.id }, m.name + (m.offline ? " (offline)" : "")));
    }
    on.value = chosen;
    const labels = clear($("queue-labels").tBodies[0]);
    if (!fleet.queue.live_by_label.length) {
      labels.append(el("tr", { class: "empty" }, el("td", { colspan: 3, class: "muted", text: "No live task." })));
    }
    for (const row of fleet.queue.live_by_label) {
      labels.append(el("tr", { "data-label": row.label === null ? "" : row.label },
        el("td", { text: row.label === null ? "any machine" : row.label }),
        el("td", { class: "num", text: row.pending }),
        el("td", { class: "num", text: row.in_progress })));
    }
  }

  async function enqueue(event) {
    event.preventDefault();
    const body = {
      prompt: $("enqueue-prompt").value,
      title: $("enqueue-title").value,
      agent: $("enqueue-agent").value,
      priority: $("enqueue-priority").value,
      on: $("enqueue-on").value,
      require: $("enqueue-require").value.split(/[\s,]+/).filter((l) => l),
    };
    try {
      const result = await api("/api/tasks", { method: "POST", body: body });
      notice((result.created ? "Queued: " : "Already queued: ") + result.task.title);
      $("enqueue-prompt").value = "";
      $("enqueue-title").value = "";
    } catch (e) {
      notice("Could not queue the task: " + e.message, "error");
    }
    loadTasks();
    loadFleet();
  }

  // ------------------------------------------------------------------ sessions

  async function loadSessions() {
    try {
      const body = await api("/api/sessions");
      for (const summary of body.sessions) session(summary.session_id, summary.agent_id).summary = summary;
      renderSessionList();
      if (!state.selected && body.sessions.length) select(body.sessions[0].session_id, false);
    } catch (e) {
      if (state.authorized) notice("Could not read the sessions: " + e.message, "error");
    }
  }

  function session(id, agentId) {
    let s = state.sessions.get(id);
    if (!s) {
      s = { summary: { session_id: id, agent_id: agentId || "?", updates: 0, active: true }, events: new Map(), loaded: false };
      state.sessions.set(id, s);
    }
    return s;
  }

  function onSessionEvent(e) {
    const s = session(e.session_id, e.agent_id);
    s.events.set(e.sequence, e);
    const sum = s.summary;
    sum.agent_id = e.agent_id;
    sum.task_id = sum.task_id || e.task_id;
    if (!sum.last_update_at || e.at > sum.last_update_at) sum.last_update_at = e.at;
    if (!sum.started_at) sum.started_at = e.at;
    sum.updates = Math.max(sum.updates || 0, s.events.size);
    if (e.kind === "session_info_update" && e.title) sum.title = e.title;
    if (!state.pinned && state.selected !== e.session_id) {
      state.selected = e.session_id;
    }
    scheduleRender();
  }

  let renderPending = false;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      renderSessionList();
      renderSession();
    });
  }

  function renderSessionList() {
    const list = clear($("session-list"));
    const sessions = [...state.sessions.values()].sort((a, b) =>
      (b.summary.last_update_at || "").localeCompare(a.summary.last_update_at || ""));
    if (!sessions.length) list.append(el("li", { class: "muted none", text: "No session yet." }));
    for (const s of sessions) {
      const sum = s.summary;
      list.append(el("li", { "data-session-id": sum.session_id },
        el("button", {
          type: "button", "aria-current": sum.session_id === state.selected ? "true" : "false",
          onclick: () => select(sum.session_id, true),
        },
        el("span", { class: "title", text: sum.title || sum.session_id }),
        el("span", { class: "meta" + (sum.active ? " live" : ""), text: sum.agent_id + " · " + (sum.last_update_at ? past(sum.last_update_at) : "") }))));
    }
  }

  async function select(id, pinned) {
    state.selected = id;
    state.pinned = pinned;
    const s = state.sessions.get(id);
    if (s && !s.loaded) {
      s.loaded = true;
      try {
        const body = await api("/api/sessions/" + encodeURIComponent(id));
        if (body.session) s.summary = Object.assign({}, s.summary, body.session);
        for (const e of body.events) s.events.set(e.sequence, e);
      } catch (e) {
        s.loaded = false;
      }
    }
    scheduleRender();
  }

  function renderSession() {
    const s = state.selected && state.sessions.get(state.selected);
    const head = clear($("session-head"));
    const transcript = $("transcript");
    const plan = $("plan");
    if (!s) {
      head.append("Sessions appear here as agents work.");
      head.classList.add("muted");
      plan.hidden = true;
      clear(transcript);
      return;
    }
    head.classList.remove("muted");
    const sum = s.summary;
    const events = [...s.events.values()].sort((a, b) => a.sequence - b.sequence);
    const built = build(events);
    head.append(...[
      el("strong", { text: sum.title || "Session " + sum.session_id }),
      el("span", { class: "muted", text: sum.agent_id }),
      sum.task_id ? el("span", { class: "muted", text: "task " + sum.task_id.slice(0, 8) }) : null,
      built.usage ? el("span", { class: "muted", text: "context " + built.usage }) : null,
      built.mode ? el("span", { class: "muted", text: "mode " + built.mode }) : null,
      el("span", { class: "muted", text: events.length + " updates" }),
    ].filter(Boolean));

    clear(plan);
    plan.hidden = !built.plan;
    if (built.plan) {
      plan.append(el("strong", { text: "Plan" }));
      const ol = el("ol");
      for (const p of built.plan) ol.append(el("li", { "data-status": p.status, title: p.priority + " priority", text: p.content }));
      plan.append(ol);
    }

    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    clear(transcript);
    for (const item of built.items) transcript.append(item.node());
    if (atBottom) transcript.scrollTop = transcript.scrollHeight;
  }

  // Folds a session's updates into what a person reads: merged message chunks, tool calls with
  // their latest state, the current plan.
  function build(events) {
    const items = [];
    const tools = new Map();
    let plan = null;
    let usage = null;
    let mode = null;
    let last = null;
    for (const e of events) {
      switch (e.kind) {
        case "agent_message_chunk":
        case "agent_thought_chunk":
        case "user_message_chunk": {
          const cls = e.kind === "agent_message_chunk" ? "message" : e.kind === "agent_thought_chunk" ? "thought" : "user";
          const text = contentText(e.content);
          if (last && last.cls === cls) last.text += text;
          else {
            last = { cls, text, node() { return el("div", { class: "item " + this.cls, text: this.text }); } };
            items.push(last);
          }
          continue;
        }
        case "tool_call": {
          const tool = { id: e.tool_call_id, title: e.title, kind: e.tool_kind, status: e.status, content: e.content || [], locations: e.locations || [], node() { return toolNode(this); } };
          tools.set(e.tool_call_id, tool);
          items.push(tool);
          break;
        }
        case "tool_call_update": {
          let tool = tools.get(e.tool_call_id);
          if (!tool) {
            tool = { id: e.tool_call_id, title: e.tool_call_id, kind: "other", status: null, content: [], locations: [], node() { return toolNode(this); } };
            tools.set(e.tool_call_id, tool);
            items.push(tool);
          }
          if (e.title !== undefined) tool.title = e.title;
          if (e.status !== undefined) tool.status = e.status;
          if (e.content !== undefined) tool.content = e.content;
          if (e.locations !== undefined) tool.locations = e.locations;
          if (e.raw_output !== undefined) tool.rawOutput = e.raw_output;
          break;
        }
        // Metadata does not interrupt the message being streamed around it.
        case "plan":
          plan = e.entries;
          continue;
        case "usage_update":
          usage = e.used.toLocaleString() + " / " + e.size.toLocaleString() +
            (e.cost_amount !== undefined ? " · " + e.cost_amount.toFixed(2) + " " + (e.currency || "") : "");
          continue;
        case "current_mode_update":
          mode = e.mode_id;
          continue;
        case "session_info_update":
        case "available_commands_update":
          continue;
        default:
          items.push({ node() { return el("div", { class: "item note", text: "update of a newer kind: " + e.kind }); } });
      }
      last = null;
    }
    return { items, plan, usage, mode };
  }

  function contentText(c) {
    if (!c) return "";
    switch (c.type) {
      case "text": return c.text;
      case "resource_link": return c.name + " (" + c.uri + ")";
      case "resource": return c.text || c.uri;
      case "image": return "[image " + c.mime_type + "]";
      default: return "[" + c.type + "]";
    }
  }

  function toolNode(tool) {
    const node = el("div", { class: "item tool", "data-tool-call-id": tool.id },
      el("div", { class: "tool-head" },
        el("span", { class: "tool-kind", text: tool.kind }),
        el("strong", { class: "tool-title", text: tool.title }),
        tool.status ? el("span", { class: "badge", "data-status": tool.status === "failed" ? "failed" : tool.status === "completed" ? "completed" : "pending", text: tool.status.replace("_", " ") }) : null),
      tool.locations.length ? el("div", { class: "locations", text: tool.locations.join(", ") }) : null);
    for (const c of tool.content) {
      if (c.type === "diff") node.append(diffNode(c));
      else if (c.type === "content") node.append(el("pre", { text: contentText(c.content) }));
      else if (c.type === "terminal") node.append(el("div", { class: "muted", text: "terminal " + c.terminal_id }));
    }
    return node;
  }

  function diffNode(d) {
    const created = d.old_text === undefined;
    const lines = diffLines(created ? [] : d.old_text.split("\n"), d.new_text.split("\n"));
    const pre = el("pre");
    for (const [op, text] of lines) {
      pre.append(el("span", { class: "line " + (op === "+" ? "add" : op === "-" ? "del" : "same"), text: op + " " + text }));
    }
    return el("div", { class: "diff" }, el("div", { class: "path", text: d.path + (created ? " (new file)" : "") }), pre);
  }

  // A line diff by longest common subsequence; large files fall back to old-then-new.
  function diffLines(a, b) {
    if (a.length * b.length > 250000) {
      return a.map((l) => ["-", l]).concat(b.map((l) => ["+", l]));
    }
    const n = a.length;
    const m = b.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { out.push([" ", a[i]]); i++; j++; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(["-", a[i++]]);
      else out.push(["+", b[j++]]);
    }
    while (i < n) out.push(["-", a[i++]]);
    while (j < m) out.push(["+", b[j++]]);
    return out;
  }

  // ------------------------------------------------------------------ decisions, reports

  async function loadDecisions() {
    try {
      const body = await api("/api/decisions");
      if (!body.decisions.length) {
        await decidedTasks();
        return;
      }
      const list = clear($("decisions"));
      for (const r of body.decisions) {
        const d = r.decision;
        list.append(el("li", null,
          el("strong", { text: d.title }),
          " ",
          el("span", { class: "muted", text: d.path + " · " + d.agent_id + " · " + Math.round(d.confidence * 100) + "% · " }),
          timeEl(r.at),
          el("span", { class: "rationale", text: d.rationale }),
          d.signals.length ? el("span", { class: "signals", text: d.signals.map((s) => s.name + ": " + s.value).join(" · ") }) : null,
          r.enqueued ? null : el("span", { class: "signals", text: "already queued" })));
      }
    } catch (e) {
      if (state.authorized) notice("Could not read the decisions: " + e.message, "error");
    }
  }

  // Decisions live in a daemon's memory; the tasks they became keep their rationale. Without
  // either (no daemon, or one started since), the queue tells what was decided.
  async function decidedTasks() {
    const page = await api("/api/tasks?limit=50");
    const decided = page.items.filter((t) => t.facts.decision_path);
    const list = clear($("decisions"));
    if (!decided.length) {
      list.append(el("li", { class: "muted", text: "No decision yet." }));
      return;
    }
    list.append(el("li", { class: "muted from-queue", text: "From the queue: what the decision engine queued." }));
    for (const t of decided) {
      list.append(el("li", { "data-task-id": t.id },
        el("strong", { text: t.title }),
        " ",
        el("span", { class: "muted", text: t.facts.decision_path + " · " + (t.agent_id || "any") + " · " }),
        timeEl(t.created_at),
        t.facts.rationale ? el("span", { class: "rationale", text: t.facts.rationale }) : null));
    }
  }

  // The schedule's cycles as the store keeps them: what ran, or why not, before the page opened.
  async function loadCycles() {
    try {
      const body = await api("/api/cycles?limit=50");
      const list = clear($("cycles"));
      if (!body.cycles.length) list.append(el("li", { class: "muted", text: "No cycle yet." }));
      for (const c of body.cycles) {
        const at = c.started_at || c.planned_at;
        list.append(el("li", { "data-cycle-id": c.cycle_id, "data-outcome": c.outcome,
          "data-receipt": c.receipt ? c.receipt.verdict : "fired" },
          timeEl(at, dateTime(at)),
          el("span", { class: "badge", "data-status": cycleStatus(c.outcome), text: c.outcome.replace("_", " ") }),
          " ",
          describeCycle(c)));
      }
    } catch (e) {
      if (state.authorized) notice("Could not read the cycles: " + e.message, "error");
    }
  }

  function cycleStatus(outcome) {
    if (outcome === "completed") return "completed";
    if (outcome === "failed") return "failed";
    return "pending";
  }

  function describeCycle(c) {
    let text = (c.catch_up ? "Catch-up cycle " : "Cycle ") + c.cycle_id;
    if (c.started_at && c.finished_at) {
      text += ", " + Math.round((Date.parse(c.finished_at) - Date.parse(c.started_at)) / 1000) + " s";
    }
    if (c.skip_reason) text += ": " + c.skip_reason.replace(/_/g, " ");
    const r = c.receipt;
    // The receipt says what the outcome cannot: a cycle that ran and started nothing, or a skip
    // that a catch-up makes up for.
    if (r && r.verdict !== "fired") {
      text += " · " + r.verdict + (c.outcome === "skipped" ? "" : ", nothing started")
        + ": " + (r.reason || "").replace(/_/g, " ");
    }
    if (c.notes && c.notes.length) text += " — " + c.notes.join("; ");
    return text;
  }

  async function loadReports() {
    try {
      const body = await api("/api/reports");
      const select = clear($("report-select"));
      const html = body.reports.filter((r) => r.format === "html");
      const shown = html.length ? html : body.reports;
      for (const r of shown) select.append(el("option", { value: r.name, text: r.name }));
      $("report-none").hidden = shown.length > 0;
      select.hidden = shown.length === 0;
      if (shown.length) {
        const preferred = shown.find((r) => r.name === "latest.html") || shown[0];
        select.value = preferred.name;
        showReport(preferred.name);
      }
    } catch (e) {
      if (state.authorized) notice("Could not read the reports: " + e.message, "error");
    }
  }

  function showReport(name) {
    const frame = $("report");
    const link = $("report-open");
    const src = "/reports/" + encodeURIComponent(name);
    frame.hidden = false;
    frame.src = src;
    link.href = src;
    link.hidden = false;
  }

  // ------------------------------------------------------------------ timeline

  // A scheduler or coordinator event (a stream message's data) in words.
  function describe(type, e) {
    if (type === "scheduler") {
      switch (e.kind) {
        case "state_changed": return "Scheduler " + e.from.name + " → " + e.to.name + (e.to.reason ? ": " + e.to.reason : "");
        case "constraints_checked": return "Constraints " + (e.satisfied ? "satisfied" : "not satisfied");
        case "cycle_started": return "Cycle started" + (e.catch_up ? " (catch-up)" : "");
        case "cycle_finished": return "Cycle finished in " + Math.round(e.duration_ms / 1000) + " s" + (e.error ? ": " + e.error : "");
        case "cycle_skipped": return "Cycle skipped: " + e.reason + (e.detail ? " — " + e.detail : "");
        case "paused": return "Paused: " + e.reason;
        case "resumed": return "Resumed";
        default: return "Scheduler: " + e.kind;
      }
    }
    switch (e.kind) {
      case "cycle_began": return "Work began, until " + clock(e.deadline);
      case "decided": return "Decided: " + e.decision.title + " (" + e.decision.agent_id + ")";
      case "nothing_to_do": return "Nothing to do: " + e.reason;
      case "task_started": return "Started " + e.task.title + " with " + e.agent_id + " on " + e.branch;
      case "task_ended": return "Task " + e.outcome.replace(/_/g, " ") + ": " + e.task.title + (e.reason ? " — " + e.reason : "") + (e.pr_url ? " · " + e.pr_url : "");
      case "agent_parked": return e.agent_id + " parked until " + clock(e.until) + ": " + e.reason;
      case "limit_warning": return "Limit: " + e.message;
      case "cycle_ended": return "Work ended: " + e.tasks_run + " task(s)" + (e.report ? ", report written" : "");
      default: return "Coordinator: " + e.kind;
    }
  }

  function addTimeline(m) {
    state.timeline.unshift(m);
    state.timeline.length = Math.min(state.timeline.length, 100);
    const list = clear($("timeline"));
    for (const t of state.timeline) {
      list.append(el("li", { "data-event": t.data.kind }, timeEl(t.data.at, clock(t.data.at)), describe(t.type, t.data)));
    }
  }

  // ------------------------------------------------------------------ live stream

  const refreshStatus = debounce(loadStatus, 200);
  const refreshTasks = debounce(loadTasks, 200);
  const refreshFleet = debounce(loadFleet, 500);
  const refreshDecisions = debounce(loadDecisions, 200);
  const refreshReports = debounce(loadReports, 500);
  const refreshCycles = debounce(loadCycles, 500);

  // A message is {type, id, data}; data is a canonical session, scheduler, coordinator or task
  // event. hello and gap carry no id.
  function onMessage(m) {
    const e = m.data || {};
    if (m.type === "hello") {
      // A server restarted since the last connection numbers from 1 again.
      if (e.last_id < state.lastId) state.lastId = 0;
      return;
    }
    if (m.type === "gap") {
      notice("Missed " + e.dropped + " live updates; reloading.");
      loadAll();
      return;
    }
    if (m.id !== undefined) {
      if (m.id <= state.lastId) return;
      state.lastId = m.id;
    }
    switch (m.type) {
      case "session":
        onSessionEvent(e);
        break;
      case "scheduler":
        addTimeline(m);
        refreshStatus();
        refreshFleet();
        if (e.kind === "cycle_finished" || e.kind === "cycle_skipped") refreshCycles();
        break;
      case "coordinator":
        addTimeline(m);
        if (e.kind === "decided") refreshDecisions();
        if (e.kind === "task_started" || e.kind === "task_ended") {
          const s = e.session_id ? session(e.session_id, e.agent_id) : null;
          if (s) {
            s.summary.task_id = e.task.id;
            s.summary.title = s.summary.title || e.task.title;
          }
          if (e.kind === "task_ended") {
            for (const x of state.sessions.values()) if (x.summary.task_id === e.task.id) x.summary.active = false;
          }
          scheduleRender();
          refreshStatus();
        }
        if (e.kind === "cycle_ended") {
          refreshReports();
          refreshStatus();
        }
        break;
      case "queue":
        refreshTasks();
        refreshFleet();
        break;
      default:
        break;
    }
  }

  function connect() {
    if (!state.authorized) return;
    const conn = $("connection");
    conn.dataset.status = "connecting";
    conn.textContent = "connecting";
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    state.socket = socket;
    socket.addEventListener("open", () => {
      state.retryDelay = 1000;
      conn.dataset.status = "live";
      conn.textContent = "live";
    });
    socket.addEventListener("message", (event) => {
      try {
        onMessage(JSON.parse(event.data));
      } catch (e) {
        console.warn("bad message", e);
      }
    });
    socket.addEventListener("close", () => {
      if (state.socket !== socket) return;
      conn.dataset.status = "offline";
      conn.textContent = "reconnecting";
      setTimeout(() => {
        // Ask once over HTTP: a refused token will not come back by retrying.
        api("/api/status").then((s) => { renderStatus(s); connect(); }, () => {
          if (state.authorized) connect();
        });
      }, state.retryDelay);
      state.retryDelay = Math.min(state.retryDelay * 2, 15000);
    });
  }

  // ------------------------------------------------------------------ controls

  async function control(path, body, done) {
    try {
      const result = await api(path, { method: "POST", body: body || {} });
      done(result);
    } catch (e) {
      notice("Could not " + path.replace("/api/", "").replace("-", " ") + ": " + e.message, "error");
    }
  }

  function wire() {
    $("run-now").addEventListener("click", () => control("/api/run-now", {}, (r) => {
      notice(r.started ? "A cycle started." : "No cycle started: one is running, or constraints hold it back.");
      refreshStatus();
    }));
    $("pause").addEventListener("click", () => control("/api/pause", { reason: "paused from the dashboard" }, (s) => {
      renderStatus(s);
      notice("Paused: no cycle starts until you resume.");
    }));
    $("resume").addEventListener("click", () => control("/api/resume", {}, (s) => {
      renderStatus(s);
      notice("Resumed.");
    }));
    $("queue-filter").addEventListener("change", () => { state.taskLimit = 50; loadTasks(); });
    $("tasks-more").addEventListener("click", () => { state.taskLimit += 50; loadTasks(); });
    $("report-select").addEventListener("change", (e) => showReport(e.target.value));
    $("enqueue-form").addEventListener("submit", enqueue);
    setInterval(() => { renderNextWake(); }, 1000);
    setInterval(() => { if (state.authorized) loadStatus(); }, 30000);
    setInterval(() => { if (state.authorized) loadFleet(); }, 30000);
  }

  // The status first: it sets the clock every other time is read against.
  function loadAll() {
    return loadStatus().then(() =>
      Promise.all([loadTasks(), loadFleet(), loadSessions(), loadDecisions(), loadCycles(), loadReports()]));
  }

  document.addEventListener("DOMContentLoaded", () => {
    wire();
    loadAll().then(() => {
      if (state.authorized) connect();
    });
  });
})();
