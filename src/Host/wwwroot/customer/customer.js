(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const caseId = params.get("case"), code = params.get("code");
  const kept = (() => { try { return caseId && JSON.parse(sessionStorage.getItem("vb.customer." + caseId) || "null"); } catch { return null; } })();
  const t = (zh, en) => ($("lang").value === "en" ? en : zh);
  let room = null, shown = "", seat = { as: "customer", name: null };
  const roles = { relative: ["亲属", "relative"], interpreter: ["翻译", "interpreter"] };

  function translate() {
    document.documentElement.lang = $("lang").value === "en" ? "en" : "zh-CN";
    document.querySelectorAll("[data-zh]").forEach((e) => (e.textContent = $("lang").value === "en" ? e.dataset.en : e.dataset.zh));
    $("title").textContent = t("远程银行", "Remote banking");
    if (seat.as !== "customer") { invited(); return; }
    shown = ""; if (vb.state.token) poll();
  }

  // An invited relative or interpreter is in the call and the recording, and sees nothing of the case itself.
  function invited() {
    const [zh, en] = roles[seat.as] || [seat.as, seat.as];
    $("case-number").textContent = t(`${seat.name}，您已受邀以${zh}身份加入视频。`, `${seat.name}, you are invited into the video call as the ${en}.`);
    $("ask").innerHTML = "<p class='muted'></p>";
    $("ask").firstChild.textContent = t("本次视频将全程录音录像。", "The call is recorded on audio and video.");
  }

  let unfollow = null;
  function ended() { if (unfollow) unfollow(); $("session").classList.add("hidden"); $("no-link").classList.remove("hidden"); }

  const poll = vb.serial(async () => {
    let view;
    try { view = await vb.call("GET", `/api/cases/${caseId}/customer`); }
    catch (e) {
      if (e.status >= 400 && e.status < 500) { ended(); return; }
      $("live").textContent = t("暂时无法读取业务，请稍候。", "Your case cannot be read just now; please wait."); return;
    }
    $("live").textContent = "";
    $("case-number").textContent = `${t("业务编号", "Case")} ${view.number}`;
    const key = JSON.stringify([view.status, view.steps.map((s) => s.bookmarkId), view.documents.map((d) => d.kind), $("lang").value]);
    if (key === shown) return;
    shown = key;
    const ask = $("ask"); ask.innerHTML = "";
    if (view.status !== "running") { ask.innerHTML = `<h2></h2>`; ask.firstChild.textContent = t("业务已办结，谢谢！", "Your case is done. Thank you!"); return; }
    for (const step of view.steps) {
      const box = document.createElement("div"); box.className = "panel";
      if (step.activityType === "start-recording") {
        box.innerHTML = `<h2></h2><p></p><div class="choice"><button type="button"></button><button type="button" class="refuse"></button></div>`;
        box.querySelector("h2").textContent = t("录音录像确认", "Recording");
        box.querySelector("p").textContent = t("本次业务将全程录音录像，您是否同意？", "This session is recorded on audio and video. Do you agree?");
        const [yes, no] = box.querySelectorAll("button");
        yes.textContent = t("同意录音录像", "I agree to be recorded"); no.textContent = t("不同意", "I do not agree");
        yes.addEventListener("click", () => answer(step, { consent: true }, box)); no.addEventListener("click", () => answer(step, { consent: false }, box));
      } else if (step.activityType === "e-signature" && view.contract) {
        box.innerHTML = `<h2></h2><div class="contract" tabindex="0" role="region"></div><div class="choice"><button type="button"></button><button type="button" class="refuse"></button></div>`;
        box.querySelector("h2").textContent = view.contract.title;
        box.querySelector(".contract").textContent = view.contract.text;
        box.querySelector(".contract").setAttribute("aria-label", view.contract.title);
        const [yes, no] = box.querySelectorAll("button");
        yes.textContent = t("我已阅读，同意并签署", "I have read it and sign"); no.textContent = t("不签署", "I do not sign");
        yes.addEventListener("click", () => answer(step, { consent: true }, box)); no.addEventListener("click", () => answer(step, { consent: false }, box));
      }
      ask.appendChild(box);
    }
    for (const doc of view.documents) {
      const box = document.createElement("div"); box.className = "panel";
      const id = `doc-${doc.kind}`;
      box.innerHTML = `<label></label><input type="file" capture="environment"><p class="error" role="alert"></p>`;
      const [label, input, error] = box.children;
      label.htmlFor = id; input.id = id; input.accept = doc.mediaTypes.join(",");
      label.textContent = `${t("拍照或上传", "Take a photo or upload")}: ${doc.kind}${doc.required ? " *" : ""}`;
      input.addEventListener("change", async () => {
        const form = new FormData(); form.append("kind", doc.kind); form.append("file", input.files[0]);
        try { await vb.call("POST", `/api/cases/${caseId}/documents`, form); error.className = "ok"; error.textContent = t("已上传", "Uploaded"); }
        catch (e) { error.className = "error"; error.textContent = e.message; }
      });
      ask.appendChild(box);
    }
    if (!ask.children.length) { ask.innerHTML = "<p class='muted'></p>"; ask.firstChild.textContent = t("请稍候，柜员正在办理。", "Please wait, the teller is working on your case."); }
  });

  // A consent counts only with a fresh code sent to the customer's phone: ask for it, then send the answer with it.
  async function answer(step, input, box) {
    const error = box.querySelector(".step-error") || box.appendChild(Object.assign(document.createElement("p"), { className: "error step-error" }));
    error.setAttribute("role", "alert");
    try {
      const sent = await vb.call("POST", `/api/cases/${caseId}/bookmarks/${step.bookmarkId}/confirmation`);
      box.querySelectorAll(".choice button").forEach((b) => (b.disabled = true));
      const form = document.createElement("form"); form.className = "confirm";
      const id = `confirm-${step.bookmarkId}`;
      form.innerHTML = `<p role="status"></p><label></label><input inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required><p class="choice"><button type="submit"></button></p>`;
      form.querySelector("p").textContent = t(`验证码已发送至 ${sent.sentTo}`, `A code was sent to ${sent.sentTo}`);
      const [label, code, submit] = [form.querySelector("label"), form.querySelector("input"), form.querySelector("button")];
      label.htmlFor = id; code.id = id; label.textContent = t("短信验证码", "Code from the message"); submit.textContent = t("确认", "Confirm");
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try { await vb.call("POST", `/api/cases/${caseId}/bookmarks/${step.bookmarkId}`, { input, confirmation: code.value }); shown = ""; await poll(); }
        catch (e) { error.textContent = fieldMessage(e); }
      });
      box.insertBefore(form, error); error.textContent = ""; code.focus();
    } catch (e) { error.textContent = fieldMessage(e); }
  }

  const fieldMessage = (e) => ((e.problem && e.problem.errors && e.problem.errors[0]) ? e.problem.errors[0].message : e.message);

  $("lang").addEventListener("change", translate);
  $("join").addEventListener("click", async () => {
    $("join").classList.add("hidden");
    room = await vbRoom(caseId, seat.as === "customer" ? "customer" : "participant", {
      localVideo: $("local"), remoteVideo: $("remote"),
      onStatus: (s) => { $("connection").textContent = s === "reconnecting" ? t("连接中断，正在重新连接…", "Connection lost, reconnecting…") : s === "connected" ? t("已连接", "Connected") : s === "waiting" ? t("正在等待柜员…", "Waiting for the teller…") : s; },
    });
  });
  window.customerPage = { get room() { return room; } };
  // The link's code opens nothing alone: a one-time code goes to the registered mobile and both together buy a token
  // for this case, which the tab keeps so a reload or a drop can rejoin. The link then works no more.
  async function sendCode() {
    const sent = await vb.call("POST", "/api/customer/code", { caseId, code });
    $("sent-to").textContent = t(`验证码已发送至 ${sent.sentTo}，五分钟内有效。`, `A code was sent to ${sent.sentTo}; it works for five minutes.`);
  }
  function refuse(e) {
    const why = $("no-link").querySelector("p");
    why.removeAttribute("data-zh"); why.removeAttribute("data-en");
    $("verify").classList.add("hidden"); $("no-link").classList.remove("hidden"); translate(); why.textContent = e.message;
  }
  function enter(session) {
    vb.state.token = session.token; seat = { as: session.as || "customer", name: session.name };
    $("verify").classList.add("hidden"); $("session").classList.remove("hidden");
    translate();
    // The Host pushes each change of the case; the page reads it then, and says when the connection is lost.
    // A lost stream reads the case once more, so a page behind a proxy that holds the stream back still shows it.
    if (seat.as === "customer") {
      poll();
      unfollow = vb.follow(`/api/cases/${caseId}/changes`, () => poll(), (status) => {
        if (status === "refused") { ended(); return; }
        $("live").textContent = status === "lost" ? t("连接中断，正在重新连接…", "Connection lost, reconnecting…") : "";
        if (status === "lost") poll();
      });
    }
  }
  $("verify-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const session = await vb.call("POST", "/api/customer/session", { caseId, code, otp: $("otp").value });
      sessionStorage.setItem("vb.customer." + caseId, JSON.stringify(session)); history.replaceState(null, "", `/customer/?case=${caseId}`);
      enter(session);
    } catch (e) { if (e.status === 400 || e.status === 429) $("verify-error").textContent = fieldMessage(e); else refuse(e); }
  });
  $("resend").addEventListener("click", () => sendCode().then(() => { $("verify-error").textContent = ""; }).catch((e) => { $("verify-error").textContent = e.message; }));
  async function start() {
    vb.state.credentials = "omit";
    if (kept && kept.token) { enter(kept); return; }
    if (!caseId || !code) { $("no-link").classList.remove("hidden"); translate(); return; }
    try { await sendCode(); } catch (e) { refuse(e); return; }
    $("verify").classList.remove("hidden"); translate(); $("otp").focus();
  }
  start();
})();
