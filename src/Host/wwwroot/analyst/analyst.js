(() => {
  const $ = (id) => document.getElementById(id);
  const lang = () => $("lang").value;
  const headers = () => ({ "Accept-Language": lang() === "zh" ? "zh-CN" : "en" });

  function show() {
    const signedIn = vb.signedIn;
    $("signin").classList.toggle("hidden", signedIn);
    $("workspace").classList.toggle("hidden", !signedIn);
    $("signout").classList.toggle("hidden", !signedIn);
    $("who").textContent = signedIn ? `${vb.state.user} (${vb.state.role})` : "";
    if (signedIn) loadDefinitions();
  }

  async function loadDefinitions() {
    const list = $("definitions");
    list.innerHTML = "";
    for (const d of await vb.call("GET", "/api/definitions")) {
      const item = document.createElement("li");
      item.innerHTML = `<strong></strong> <span class="muted"></span><div class="versions"></div>`;
      item.querySelector("strong").textContent = d.name;
      item.querySelector("span").textContent = d.id;
      for (const v of await vb.call("GET", `/api/definitions/${encodeURIComponent(d.id)}/versions`)) {
        const button = document.createElement("button");
        button.type = "button"; button.className = "secondary"; button.textContent = `v${v.version}`;
        button.setAttribute("aria-label", `${d.name} v${v.version}`);
        button.addEventListener("click", () => openVersion(d.id, v.version));
        item.querySelector(".versions").appendChild(button);
      }
      list.appendChild(item);
    }
  }

  async function openVersion(id, version) {
    $("diagram").innerHTML = await vb.call("GET", `/api/definitions/${encodeURIComponent(id)}/versions/${version}/diagram`);
    $("detail-hint").textContent = `${id} v${version}`;
    $("source").value = JSON.stringify(await vb.call("GET", `/api/definitions/${encodeURIComponent(id)}/versions/${version}`), null, 2);
    gutter([]);
  }

  function gutter(badLines) {
    const count = $("source").value.split("\n").length;
    const bad = new Set(badLines);
    $("gutter").innerHTML = Array.from({ length: count }, (_, n) => bad.has(n + 1) ? `<span class="bad">${n + 1}</span>` : `${n + 1}`).join("\n");
  }

  function showProblems(problems, warnings = []) {
    const locate = jsonLines($("source").value);
    const body = $("problems").querySelector("tbody");
    body.innerHTML = "";
    const lines = [];
    for (const p of [...problems, ...warnings]) {
      const line = locate(p.path); lines.push(line);
      const row = document.createElement("tr");
      if (warnings.includes(p)) row.className = "warning";
      for (const text of [String(line), p.path, p.code, p.message]) { const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell); }
      body.appendChild(row);
    }
    $("problems").classList.toggle("hidden", problems.length + warnings.length === 0);
    gutter(lines);
  }

  async function validate() {
    const report = await vb.call("POST", "/api/definitions/validate", $("source").value, { headers: headers() });
    showProblems(report.problems, report.warnings);
    $("summary").className = report.valid ? "ok" : "error";
    $("summary").textContent = report.valid
      ? (lang() === "zh" ? `校验通过：${report.id} v${report.version}` : `Valid: ${report.id} v${report.version}`)
      : (lang() === "zh" ? `发现 ${report.problems.length} 个问题` : `${report.problems.length} problem(s) found`);
    return report;
  }

  async function publish() {
    const report = await validate();
    if (!report.valid) return;
    try {
      const published = await vb.call("POST", "/api/definitions", $("source").value, { headers: headers() });
      $("summary").className = "ok";
      $("summary").textContent = lang() === "zh" ? `已发布 ${published.id} v${published.version}` : `Published ${published.id} v${published.version}`;
      await loadDefinitions();
    } catch (error) {
      $("summary").className = "error";
      $("summary").textContent = error.message;
    }
  }

  const fates = { converted: "已转换 / converted", placeholder: "占位 / placeholder", "not-converted": "未转换 / not converted", added: "已添加 / added" };

  function row(cells) {
    const tr = document.createElement("tr");
    for (const text of cells) { const cell = document.createElement("td"); cell.textContent = text; tr.appendChild(cell); }
    return tr;
  }

  // Converts an Elsa workflow on the server (nothing is stored) and puts what converts into the editor to publish.
  async function importElsa() {
    const file = $("elsa-file").files[0];
    if (!file) return;
    const body = $("elsa-report").querySelector("tbody"), issues = $("elsa-issues");
    body.innerHTML = ""; issues.innerHTML = "";
    try {
      const report = await vb.call("POST", `/api/definitions/import-elsa?partial=${$("elsa-partial").checked}`, await file.text(), { headers: headers() });
      for (const a of report.activities) {
        const tr = row([`${a.elsaType || "—"} ${a.elsaId}`.trim(), a.stepId ? `${a.stepId} (${a.stepType})` : "—", fates[a.fate] || a.fate, a.note || ""]);
        tr.className = a.fate; body.appendChild(tr);
      }
      for (const i of report.issues) { const li = document.createElement("li"); li.textContent = `${i.path}: ${i.reason}`; issues.appendChild(li); }
      $("elsa-report").classList.toggle("hidden", report.activities.length === 0);
      if (report.definition) {
        $("source").value = JSON.stringify(report.definition, null, 2);
        gutter([]);
        $("elsa-summary").className = report.issues.length === 0 ? "ok" : "error";
        $("elsa-summary").textContent = lang() === "zh"
          ? `已转换 ${report.definition.id}，见下方编辑器${report.issues.length ? `；${report.issues.length} 处占位须修改` : ""}`
          : `Converted ${report.definition.id}: see the editor below${report.issues.length ? `; ${report.issues.length} placeholder(s) to replace` : ""}`;
        await validate();
      } else {
        $("elsa-summary").className = "error";
        $("elsa-summary").textContent = lang() === "zh"
          ? `未转换：${report.issues.length} 处无法转换；可勾选“保留占位”`
          : `Nothing converted: ${report.issues.length} thing(s) do not carry over; tick "keep placeholders" to convert the rest`;
      }
    } catch (error) {
      $("elsa-report").classList.add("hidden");
      $("elsa-summary").className = "error";
      $("elsa-summary").textContent = [error.message, ...((error.problem && error.problem.errors) || []).map(e => `${e.path}: ${e.message}`)].join(" ");
    }
  }

  vb.wireSignIn(show);
  $("elsa-file").addEventListener("change", importElsa);
  $("elsa-partial").addEventListener("change", importElsa);
  $("validate").addEventListener("click", validate);
  $("publish").addEventListener("click", publish);
  $("source").addEventListener("input", () => gutter([]));
  $("file").addEventListener("change", async () => { const file = $("file").files[0]; if (file) { $("source").value = await file.text(); gutter([]); } });
  $("lang").addEventListener("change", () => { document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en"; });
  show();
})();
