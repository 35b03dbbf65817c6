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
  return {
    state,
    call,
    serial,
    // Staff pages sign in with an HttpOnly session cookie (no token in script); a customer page holds a case-bound token.
    async signIn(username, password) {
      const result = await call("POST", "/api/auth/session", { username, password });
      Object.assign(state, { token: null, role: result.role, user: result.user });
      sessionStorage.setItem(key + ".role", result.role); sessionStorage.setItem(key + ".user", result.user);
      return result;
    },
    async signOut() { await fetch("/api/auth/session/end", { method: "POST" }); sessionStorage.removeItem(key); sessionStorage.removeItem(key + ".role"); sessionStorage.removeItem(key + ".user"); state.token = state.role = state.user = null; },
    get signedIn() { return !!(state.user || state.token); },
    // The staff pages' sign-in form (#signin-form, #username, #password, #signin-error) and #signout button.
    wireSignIn(show, afterSignOut) {
      const $ = (id) => document.getElementById(id);
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
