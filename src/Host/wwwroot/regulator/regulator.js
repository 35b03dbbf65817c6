(() => {
  const $ = (id) => document.getElementById(id);
  const reason = () => $("q-reason").value.trim();
  const withReason = () => ({ headers: { "X-Access-Reason": reason() } });
  let current = null;

  function show() {
    const ok = vb.signedIn;
    $("signin").classList.toggle("hidden", ok); $("search").classList.toggle("hidden", !ok);
    $("who").textContent = ok ? `${vb.state.user} (${vb.state.role})` : "";
  }

  async function find(event) {
    event.preventDefault();
    const list = $("results"); list.innerHTML = "";
    let found = [];
    if ($("q-number").value) found = await vb.call("GET", `/api/cases?number=${encodeURIComponent($("q-number").value.trim())}&limit=50`, undefined, withReason());
    else if ($("q-date").value) found = await vb.call("GET", `/api/cases?openedOn=${$("q-date").value}&limit=200`, undefined, withReason());
    else found = await vb.call("GET", `/api/cases?limit=200`, undefined, withReason());
    if ($("q-id").value) {
      const wanted = $("q-id").value.trim(), matches = [];
      for (const c of found) { const body = await vb.call("GET", `/api/cases/${c.id}`, undefined, withReason()); if (body.data.idNumber === wanted || body.data.legalRepIdNumber === wanted) matches.push(c); }
      found = matches;
    }
    for (const c of found) {
      const li = document.createElement("li"); const b = document.createElement("button"); b.type = "button";
      b.textContent = `${c.number} · ${c.definitionId} · ${c.status} · ${new Date(c.openedAt).toLocaleString()}`;
      b.addEventListener("click", () => open(c.id)); li.appendChild(b); list.appendChild(li);
    }
    if (!found.length) list.innerHTML = "<li>没有找到 / Nothing found</li>";
  }

  async function open(id) {
    current = id;
    $("case").classList.remove("hidden");
    const timeline = await vb.call("GET", `/api/cases/${id}/timeline`, undefined, withReason());
    $("case-title").textContent = `${timeline.number} · ${timeline.definitionId} v${timeline.definitionVersion}`;
    const v = await vb.call("GET", `/api/cases/${id}/verify`, undefined, withReason());
    $("verify").className = v.intact ? "ok" : "error";
    $("verify").textContent = v.intact ? `完整 / Intact: ${v.eventsChecked} events, ${v.filesChecked} files checked; ${v.anchor ?? ""}`
      : `被篡改 / BROKEN at version ${v.firstBrokenVersion}: ${v.problem}`;
    const body = $("timeline").querySelector("tbody"); body.innerHTML = "";
    for (const s of timeline.steps) {
      const tr = document.createElement("tr");
      for (const text of [s.title, new Date(s.startedAt).toLocaleString(), s.actedBy ? `${s.actedBy} (${s.actedAs})` : (s.waitedFor || ""), s.error ? `failed: ${s.error}` : (s.outcome || "…"), s.records.join("; ")]) {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    const events = await vb.call("GET", `/api/cases/${id}/events`, undefined, withReason());
    const box = $("recordings"); box.innerHTML = "";
    for (const sealed of events.filter((e) => e.type === "recording_sealed")) {
      const section = document.createElement("div");
      const play = document.createElement("button"); play.type = "button"; play.textContent = `播放录像 / Play recording (${Math.round(sealed.data.DurationMs / 1000)} s)`;
      const video = document.createElement("video"); video.controls = true; video.className = "hidden"; video.setAttribute("aria-label", "录像 / Recording");
      const answers = document.createElement("div"); answers.className = "answers";
      for (const a of events.filter((e) => e.type === "willingness_answer_recorded" && e.data.RecordingId === sealed.data.RecordingId)) {
        const jump = document.createElement("button"); jump.type = "button"; jump.className = "secondary";
        jump.textContent = `${Math.round(a.data.OffsetMs / 1000)}s · ${a.data.Question} → ${a.data.Answer}`;
        jump.addEventListener("click", () => { video.currentTime = a.data.OffsetMs / 1000; video.play(); });
        answers.appendChild(jump);
      }
      play.addEventListener("click", async () => {
        if (!reason()) { $("q-reason").reportValidity(); return; }
        const response = await fetch(`/api/recordings/${sealed.data.RecordingId}`, { headers: { "X-Access-Reason": reason() } });
        if (!response.ok) { play.textContent = (await response.json()).detail; return; }
        video.src = URL.createObjectURL(await response.blob()); video.classList.remove("hidden");
      });
      section.append(play, video, answers); box.appendChild(section);
    }
  }

  vb.wireSignIn(show);
  $("search-form").addEventListener("submit", (e) => find(e).catch((err) => { $("results").textContent = err.message; }));
  $("export").addEventListener("click", async () => {
    const response = await fetch(`/api/cases/${current}/export`, { headers: { "X-Access-Reason": reason() } });
    const link = document.createElement("a"); link.href = URL.createObjectURL(await response.blob()); link.download = `case-${current}.zip`; link.click();
  });
  window.regulatorPage = { open };
  show();
})();
