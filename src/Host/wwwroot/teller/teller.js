(() => {
  const $ = (id) => document.getElementById(id);
  let current = null, room = null, recorder = null, composite = null, starting = false, recordingStartedAt = 0, lastRecording = null, stoppedRecording = null, timer = null, remoteStream = null, lastVersion = -1, shownSteps = "", unfollow = null;

  function show() {
    const ok = vb.signedIn;
    $("signin").classList.toggle("hidden", ok); $("desk").classList.toggle("hidden", !ok); $("signout").classList.toggle("hidden", !ok);
    $("who").textContent = ok ? `${vb.state.user} (${vb.state.role})` : "";
    if (ok) { loadQueue(); loadDefinitions(); followQueue(); }
  }

  // The queue is read again when the Host says a case changed (at most every 2 s), and whenever the stream comes back.
  let queueFollowed = false;
  function followQueue() {
    if (queueFollowed) return;
    queueFollowed = true;
    vb.follow("/api/queue/changes", () => loadQueue(), (status, why) => {
      if (status === "live") { loadQueue(); return; }
      $("queue-error").textContent = status === "lost" ? "待办连接中断，正在重新连接… / Queue connection lost, reconnecting…" : `无法跟踪待办 / Cannot follow the queue: ${why}`;
    });
  }

  // One read of the queue at a time, and one more after it when asked meanwhile: a read begun before the filter changed
  // must not land after the read for the new filter and leave the old list on the page.
  const loadQueue = vb.serial(async () => {
    const role = $("filter").value;
    let rows;
    try { rows = await vb.call("GET", `/api/cases?status=running${role ? "&role=" + role : ""}`); $("queue-error").textContent = ""; }
    catch (e) { $("queue-error").textContent = `待办未能刷新 / The queue could not be read: ${e.message}`; return; }
    const body = $("queue").querySelector("tbody"); body.innerHTML = "";
    for (const c of rows) {
      const tr = document.createElement("tr");
      const open = document.createElement("button"); open.type = "button"; open.textContent = c.number; open.addEventListener("click", () => openCase(c.id));
      const cell = document.createElement("td"); cell.appendChild(open); tr.appendChild(cell);
      for (const text of [c.definitionId + (c.assignee ? ` · ${c.assignee}` : ""), c.dueAt ? new Date(c.dueAt).toLocaleString() : "—"]) { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
      body.appendChild(tr);
    }
  });

  async function loadDefinitions() {
    const select = $("new-definition"); if (select.options.length) return;
    for (const d of await vb.call("GET", "/api/definitions")) {
      const o = document.createElement("option"); o.value = d.id; o.textContent = d.name; o.dataset.example = JSON.stringify(Object.fromEntries(Object.entries(d.inputs.properties || {}).map(([k, s]) => [k, (s.examples || [""])[0]])), null, 2);
      select.appendChild(o);
    }
    select.dispatchEvent(new Event("change"));
  }

  // The Host pushes each new version of the open case (on whichever Host it was written); the page reads the case then,
  // and says so when it cannot follow or read it, instead of showing an old case as if it were current.
  async function openCase(id) {
    current = id; lastVersion = -1; shownSteps = "";
    $("case").classList.remove("hidden");
    if (unfollow) unfollow();
    unfollow = vb.follow(`/api/cases/${id}/changes`, (event) => { if (event.version !== lastVersion) refresh(); }, (status, why) => {
      $("live").textContent = status === "live" ? "实时 / Live" : status === "lost" ? "连接中断，正在重新连接… / Connection lost, reconnecting…" : `无法跟踪案件 / Cannot follow the case: ${why}`;
      $("live").className = status === "live" ? "badge ok" : "badge warn";
    });
    await refresh();
  }

  // The workbench view of the case (never its raw events); a read sends the version shown, so an unchanged case answers 304.
  // A read that fails says so and leaves the version unknown, so the next change (or the teller's next step) reads it all again.
  const refresh = vb.serial(async () => {
    try { await load(); $("case-error").textContent = ""; }
    catch (e) { if (e.status === 304) { $("case-error").textContent = ""; syncRecording(lastRecording); return; }
      lastVersion = -1; $("case-error").textContent = `案件未能刷新 / The case could not be read: ${e.message}`; }
  });

  async function load() {
    if (!current) return;
    const view = await vb.call("GET", `/api/cases/${current}/workbench`, undefined, lastVersion >= 0 ? { headers: { "If-None-Match": `"${lastVersion}"` } } : {});
    const c = view.case;
    $("case-title").textContent = `${c.number} · ${c.definitionId} v${c.definitionVersion}`;
    $("case-status").textContent = `状态 / Status: ${c.status}`;
    const dl = $("case-data"); dl.innerHTML = "";
    for (const [k, v] of Object.entries(c.data)) { const dt = document.createElement("dt"); dt.textContent = k; const dd = document.createElement("dd"); dd.textContent = v; dl.append(dt, dd); }
    $("diagram").innerHTML = await vb.call("GET", `/api/cases/${current}/diagram`);
    renderDocuments(view);
    // Steps are rebuilt only when what waits changes: a new version for someone joining the call, a delivered link or a
    // recorded chunk leaves the forms, what the teller typed and the focus as they are.
    const steps = JSON.stringify([c.status, c.waiting.map((w) => w.bookmarkId), (view.contracts || []).map((p) => [p.stepId, !!p.consentGiven])]);
    if (steps !== shownSteps) { await renderSteps(c, view); shownSteps = steps; }
    lastRecording = view.recording;
    lastVersion = c.version; // only once everything of this version is shown
    syncRecording(view.recording);
  }

  function link(href, text, className) {
    const a = document.createElement("a"); a.href = href; a.target = "_blank"; a.rel = "noopener"; a.textContent = text; if (className) a.className = className;
    return a;
  }

  function renderDocuments(view) {
    const list = $("documents"); list.innerHTML = "";
    for (const d of view.documents) { const li = document.createElement("li"); li.appendChild(link(d.url, `${d.kind} · ${d.fileName} · sha256 ${d.sha256.slice(0, 12)}…`, "document")); list.appendChild(li); }
    for (const s of view.signedContracts) {
      const li = document.createElement("li");
      li.appendChild(link(s.url, `已签署合同 PDF / Signed contract PDF · sha256 ${s.sha256.slice(0, 12)}…`, "signed-contract")); list.appendChild(li);
    }
  }

  async function renderSteps(c, view) {
    const steps = $("steps"); steps.innerHTML = "";
    if (c.waiting.length === 0) { steps.textContent = c.status === "running" ? "…" : `案件已结束 / Case ${c.status}`; return; }
    for (const w of c.waiting) {
      const box = document.createElement("div"); box.className = "step"; box.dataset.step = w.stepId;
      const h = document.createElement("h4"); h.textContent = `${w.title} (${w.activityType})`; box.appendChild(h);
      if (w.activityType === "e-signature") {
        const presented = view.contracts.find((p) => p.stepId === w.stepId);
        if (presented) {
          const contract = document.createElement("div"); contract.className = "contract"; contract.tabIndex = 0; contract.setAttribute("role", "region");
          contract.setAttribute("aria-label", presented.title); contract.textContent = presented.text; box.appendChild(contract);
        }
        const consent = !!(presented && presented.consentGiven);
        const note = document.createElement("p"); note.className = consent ? "ok" : "muted";
        note.textContent = consent ? "客户已同意签署，正在签章 / The customer consented; sealing the contract" : "等待客户阅读并同意 / Waiting for the customer to read and consent";
        box.appendChild(note); steps.appendChild(box); continue;
      }
      if (w.role !== "teller" && w.role !== vb.state.role) {
        const p = document.createElement("p"); p.className = "muted";
        p.textContent = w.role === "customer" ? "等待客户操作 / Waiting for the customer" : w.activityType === "document-collection" ? "等待上传资料 / Waiting for uploads" : `等待 ${w.role} / Waiting for ${w.role}`;
        box.appendChild(p); steps.appendChild(box); continue;
      }
      const form = document.createElement("form"); form.noValidate = false; box.appendChild(form);
      let read;
      if (w.activityType === "video-session") {
        form.innerHTML = `<p>确认柜员与客户均已进入视频。Confirm teller and customer are both in the video session.</p>`;
        // Everyone else connected in the room (an invited relative or interpreter) is listed with them.
        read = () => ({ participants: [{ role: "teller", name: vb.state.user }, { role: "customer", name: c.data.customerName || "customer" },
          ...(room ? room.peers.filter((p) => p.role !== "customer" && p.role !== "supervisor" && p.role !== "teller" && p.state === "connected").map((p) => ({ role: p.role, name: p.name })) : [])] });
      } else if (w.activityType === "willingness-confirmation") {
        const script = view.scripts.find((s) => s.stepId === w.stepId).questions;
        const answers = {};
        for (const q of script) {
          const row = document.createElement("div"); row.className = "question";
          row.innerHTML = `<label></label><input><button type="button" class="secondary">记录 / Record</button>`;
          const [lbl, input, button] = row.children; const id = `answer-${q.id}`;
          lbl.textContent = q.text; lbl.htmlFor = id; input.id = id; input.setAttribute("aria-label", q.text);
          button.setAttribute("aria-label", `记录回答 / Record answer: ${q.text}`);
          button.addEventListener("click", () => { answers[q.id] = { questionId: q.id, answer: input.value, offsetMs: recordingStartedAt ? Math.max(0, Date.now() - recordingStartedAt) : 0 }; button.textContent = "✓ " + Math.round(answers[q.id].offsetMs / 1000) + "s"; });
          form.appendChild(row);
        }
        read = () => ({ answers: Object.values(answers) });
      } else {
        vbForms.render(form, w.inputSchema || { type: "object", properties: {} });
        read = () => vbForms.read(form);
      }
      const submit = document.createElement("button"); submit.type = "submit"; submit.textContent = "提交 / Submit";
      form.append(submit); vbForms.summaryOf(form);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!vbForms.check(form)) return;
        vbForms.showErrors(form, ""); // a new attempt: what was said of the last one no longer holds
        try {
          await vb.call("POST", `/api/cases/${current}/bookmarks/${w.bookmarkId}`, { input: read() }, { headers: { "If-Match": `"${lastVersion}"` } });
          await refresh();
        } catch (e) {
          vbForms.showErrors(form, e.status === 409 ? `${e.message} 已刷新 / Refreshed.` : e.message, e.status === 409 ? [] : e.problem && e.problem.errors);
          // The case moved on since the page last read it: read it again, and leave this form (what was typed, and this
          // message) as it is unless what waits has changed; the teller submits again.
          if (e.status === 409) { lastVersion = -1; refresh(); }
        }
      });
      steps.appendChild(box);
    }
  }

  // The recording runs while the case says so: once the camera is on it starts, as a new segment after a reload, recording
  // the teller, the customer and anyone else in the room together; it stops when the case stops it.
  async function syncRecording(recording) {
    const active = recording && !recording.stopping;
    if (active && !recorder && !starting && room) {
      starting = true;
      try {
        composite = vbComposite([$("local"), $("remote"), ...document.querySelectorAll(".videos video.peer")]);
        if (remoteStream) composite.listen(remoteStream);
        recordingStartedAt = Date.parse(recording.startedAt);
        recorder = await vbRecorder(recording.recordingId, composite.stream, showRecording);
        $("rec").classList.remove("hidden");
        timer = setInterval(() => { const s = Math.max(0, Math.floor((Date.now() - recordingStartedAt) / 1000)); $("rec-time").textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`; }, 500);
      } catch (e) {
        $("rec-error").textContent = `录像未能开始 / The recording did not start: ${e.message}`;
        if (composite) composite.stop();
        composite = null;
      } finally { starting = false; }
    }
    if (!active && recorder) {
      const r = recorder, c = composite; recorder = null; composite = null; clearInterval(timer); $("rec").classList.add("hidden");
      stoppedRecording = await r.stop(); c.stop();
    }
  }

  function showRecording(s) {
    $("rec-state").textContent = `· 第 ${s.segment + 1} 段 / segment ${s.segment + 1} · 已存 ${s.uploaded} 块 / ${s.uploaded} chunks kept`;
    $("rec-error").textContent = s.refused ? `录像被拒绝 / Recording refused: ${s.refused}` : s.retrying ? "录像上传中断，正在重试 / Upload interrupted, retrying…" : "";
  }

  vb.wireSignIn(show, () => location.reload());
  $("filter").addEventListener("change", loadQueue);
  $("queue-error").textContent = "";
  $("next-case").addEventListener("click", async () => {
    try { const c = await vb.call("POST", "/api/queue/next"); $("next-error").textContent = ""; await loadQueue(); await openCase(c.id); }
    catch (e) { $("next-error").textContent = e.message; }
  });
  $("new-definition").addEventListener("change", () => { const o = $("new-definition").selectedOptions[0]; if (o) $("new-data").value = o.dataset.example; });
  $("open-case").addEventListener("click", async () => {
    try { const c = await vb.call("POST", "/api/cases", { definitionId: $("new-definition").value, data: JSON.parse($("new-data").value) }); $("open-error").textContent = ""; await loadQueue(); await openCase(c.id); }
    catch (e) { $("open-error").textContent = [e.message, ...((e.problem && e.problem.errors) || []).map((x) => `${x.path}: ${x.message}`)].join(" "); }
  });
  // The link goes to the customer's registered mobile; the teller sees where it went, never the link itself.
  $("customer-link").addEventListener("click", async () => {
    try { const link = await vb.call("POST", `/api/cases/${current}/customer-link`); $("link-status").className = ""; $("link-status").textContent = `已发送至 / Sent to ${link.sentTo}`; }
    catch (e) { $("link-status").className = "error"; $("link-status").textContent = e.message; }
  });
  // An invited relative or interpreter gets a single-use link on their own phone; the teller sees where it went, never the link.
  $("invite-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("invite-status");
    try {
      const sent = await vb.call("POST", `/api/cases/${current}/participants`, { role: $("invite-role").value, name: $("invite-name").value, mobile: $("invite-mobile").value });
      status.className = ""; status.textContent = `已邀请 ${sent.name}，链接已发送至 / Invited ${sent.name}; link sent to ${sent.sentTo}`;
      $("invite-name").value = ""; $("invite-mobile").value = "";
    } catch (e) { status.className = "error"; status.textContent = [e.message, ...((e.problem && e.problem.errors) || []).map((x) => x.message)].join(" "); }
  });
  $("start-video").addEventListener("click", async () => {
    const caseId = current;
    room = await vbRoom(current, "teller", { localVideo: $("local"), remoteVideo: $("remote"),
      // A failed call is a disruption: the case's video step decides whether it goes on, restarts the identity check or ends.
      onStatus: (s) => { $("video-status").textContent = s; if (s === "failed") vb.call("POST", `/api/cases/${caseId}/disruptions`, { kind: "connection-failed", detail: "The teller's call to the customer failed." }).then(() => refresh()).catch(() => {}); },
      // Whoever is in the call is in the recording: someone who joins mid-recording gets a tile and their voice is mixed in.
      onRemote: (s, peer, video) => { if (peer.id === "customer") remoteStream = s; if (composite) composite.add(video); },
      onLeft: (peer) => { if (composite) document.querySelectorAll(`.videos video[data-seat="${CSS.escape(peer.id)}"]`).forEach((v) => composite.remove(v)); } });
    if (caseId === current) syncRecording(lastRecording); // a recording the case already runs starts once the camera is on
  });
  // A recording the case runs that did not start on this page (the camera was busy, say) is tried again every few seconds.
  setInterval(() => { if (lastRecording && !lastRecording.stopping && !recorder) syncRecording(lastRecording); }, 3000);
  window.tellerPage = { get room() { return room; }, get recorder() { return recorder; }, get stoppedRecording() { return stoppedRecording; }, get caseId() { return current; }, get tiles() { return composite ? composite.tiles : 0; } };
  show();
})();
