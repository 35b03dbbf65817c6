// A small client for the VirtualBranch API: a bearer token kept for this tab only, problem details turned into errors.
window.vb = (() => {
  const key = "vb.token";
  // credentials: the customer page sets "omit", so a staff cookie in the same browser never rides along with the customer's calls.
  const state = { token: sessionStorage.getItem(key), role: sessionStorage.getItem(key + ".role"), user: sessionStorage.getItem(key + ".user"), credentials: "same-origin" };
  async function call(method, path, body, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    if (typeof body === "string") headers["Content-Type"] = headers["Content-Type"] || "application/json";
    const response = await fetch(path, { method, headers, body, credentials: state.credentials });
    const type = response.headers.get("content-type") || "";
    const payload = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) { const error = new Error((payload && (payload.detail || payload.title)) || response.statusText); error.status = response.status; error.problem = payload; throw error; }
    return payload;
  }
  // One run of `load` at a time; calls while it runs make one more run after it, and every caller waits for that run. Two
  // overlapping refreshes could otherwise finish out of order and leave the older view on the page.
  function serial(load) {
    let running = null, again = false;
    return function run() {
      if (running) { again = true; return running; }
      running = (async () => { try { do { again = false; await load(); } while (again); } finally { running = null; } })();
      return running;
    };
  }
  // Follows what the Host pushes (server-sent events, read with fetch so the page's token rides along): onEvent(data)
  // for each event's data (a case's version now and each one after it; or that the queue changed); onStatus("live" | "lost" | "refused", why) as the
  // connection comes and goes. A lost connection is opened again after about 1, 2, 4 ... at most 15 s (a random share
  // of it, so that pages dropped together by a restarting Host do not all come back at once; back to 1 s only after a
  // stream stayed up 10 s), and the version it starts with tells the page whether it missed a change; a refusal
  // (signed out, no such case) is not retried.
  // Returns a function that stops following.
  function follow(path, onEvent, onStatus) {
    let stopped = false, controller = null;
    (async () => {
      for (let delay = 1000; !stopped; delay = Math.min(delay * 2, 15000)) {
        controller = new AbortController();
        let opened = 0;
        try {
          const headers = { Accept: "text/event-stream" };
          if (state.token) headers.Authorization = "Bearer " + state.token;
          const response = await fetch(path, { headers, credentials: state.credentials, signal: controller.signal, cache: "no-store" });
          if (response.status >= 400 && response.status < 500) {
            const problem = await response.json().catch(() => null);
            onStatus("refused", (problem && (problem.detail || problem.title)) || response.statusText); return;
          }
          if (!response.ok || !response.body) throw new Error(response.statusText);
          onStatus("live"); opened = Date.now();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
              const data = buffer.slice(0, end).split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5)).join("\n");
              buffer = buffer.slice(end + 2);
              if (data) onEvent(JSON.parse(data));
            }
          }
        } catch (e) { if (stopped) return; }
        if (stopped) return;
        onStatus("lost");
        if (opened && Date.now() - opened > 10000) delay = 500; // it was up a while: this is a new drop, start again at ~1 s
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
      }
    })();
    return () => { stopped = true; if (controller) controller.abort(); };
  }
  return {
    state,
    call,
    serial,
    follow,
    // Staff pages sign in with an HttpOnly session cookie (no token in script); a customer page holds a case-bound token.
    async signIn(username, password) {
      const result = await call("POST", "/api/auth/session", { username, password });
      Object.assign(state, { token: null, role: result.role, user: result.user });
      sessionStorage.setItem(key + ".role", result.role); sessionStorage.setItem(key + ".user", result.user);
      return result;
    },
    async signOut() { await fetch("/api/auth/session/end", { method: "POST" }); sessionStorage.removeItem(key); sessionStorage.removeItem(key + ".role"); sessionStorage.removeItem(key + ".user"); state.token = state.role = state.user = null; },
    get signedIn() { return !!(state.user || state.token); },
    // The staff pages' sign-in form, drawn here into their #signin section (one form for every page), and their #signout button.
    wireSignIn(show, afterSignOut) {
      const $ = (id) => document.getElementById(id);
      $("signin").innerHTML = `<h2 id="signin-title">登录 / Sign in</h2>
        <form id="signin-form">
          <label for="username">用户名 / Username</label>
          <input id="username" name="username" autocomplete="username" required>
          <label for="password">密码 / Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
          <p><button type="submit">登录 / Sign in</button></p>
          <p id="signin-error" class="error" role="alert"></p>
        </form>`;
      $("signin-form").addEventListener("submit", async (event) => {
        event.preventDefault();
        try { await this.signIn($("username").value, $("password").value); $("signin-error").textContent = ""; show(); }
        catch (error) { $("signin-error").textContent = error.message; }
      });
      const out = $("signout");
      if (out) out.addEventListener("click", async () => { await this.signOut(); (afterSignOut || show)(); });
    },
  };
})();
