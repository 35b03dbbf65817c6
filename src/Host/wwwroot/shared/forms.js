// Forms generated from a step's JSON Schema: validated in the browser (required, type, enum, const, min/max,
// pattern) and again by the server, whose errors are shown at their fields.
window.vbForms = (() => {
  const label = (name, schema) => schema.title || name;
  // Fields in a stable order: the required ones as the schema lists them (an array keeps its order wherever the
  // schema was stored; PostgreSQL's jsonb reorders an object's keys), then the others.
  const ordered = (schema) => {
    const properties = schema.properties || {};
    const first = (schema.required || []).filter((k) => Object.prototype.hasOwnProperty.call(properties, k));
    return [...first, ...Object.keys(properties).filter((k) => !first.includes(k))].map((k) => [k, properties[k]]);
  };
  function field(container, name, schema, path, required) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    const id = "f" + path.replace(/[^a-z0-9]/gi, "-");
    if (schema.type === "object" && schema.properties) {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend"); legend.textContent = label(name, schema); set.appendChild(legend);
      for (const [key, sub] of ordered(schema)) field(set, key, sub, `${path}/${key}`, (schema.required || []).includes(key));
      wrap.appendChild(set);
    } else {
      const text = document.createElement("label"); text.htmlFor = id; text.textContent = label(name, schema) + (required ? " *" : "");
      let input;
      if (schema.enum) { input = document.createElement("select"); for (const v of ["", ...schema.enum]) { const o = document.createElement("option"); o.value = v; o.textContent = v; input.appendChild(o); } }
      else { input = document.createElement("input"); input.type = schema.type === "boolean" ? "checkbox" : (schema.type === "number" || schema.type === "integer") ? "number" : "text";
        if (schema.examples && input.type === "text") input.placeholder = schema.examples[0]; }
      input.id = id; input.dataset.path = path; input.dataset.type = schema.type || "string"; input.required = !!required && input.type !== "checkbox";
      if (schema.minimum !== undefined) input.min = schema.minimum; if (schema.maximum !== undefined) input.max = schema.maximum;
      if (schema.pattern) input.pattern = schema.pattern;
      const error = document.createElement("span"); error.className = "field-error"; error.id = id + "-error";
      input.setAttribute("aria-describedby", error.id);
      if (input.type === "checkbox") { wrap.classList.add("check"); wrap.append(input, text, error); } else wrap.append(text, input, error);
    }
    container.appendChild(wrap);
  }
  function render(container, schema) { container.innerHTML = ""; for (const [k, s] of ordered(schema)) field(container, k, s, "/" + k, (schema.required || []).includes(k)); }
  function read(container) {
    const value = {};
    for (const input of container.querySelectorAll("[data-path]")) {
      const parts = input.dataset.path.split("/").slice(1); let target = value;
      for (const p of parts.slice(0, -1)) target = target[p] = target[p] || {};
      const key = parts[parts.length - 1];
      if (input.type === "checkbox") target[key] = input.checked;
      else if (input.value === "") continue;
      else target[key] = input.dataset.type === "number" || input.dataset.type === "integer" ? Number(input.value) : input.value;
    }
    return value;
  }
  // One error summary per form, first in it: what went wrong, then each problem, a field's as a link that moves the focus
  // to it. It is the form's one live region (a screen reader hears it once); a field's message also stays beside the
  // field (aria-describedby) with aria-invalid set. An empty message and no errors clear it all.
  function summaryOf(form) {
    let summary = form.querySelector(":scope > .error-summary");
    if (!summary) { summary = document.createElement("div"); summary.className = "error-summary error"; summary.setAttribute("role", "alert"); summary.tabIndex = -1; form.prepend(summary); }
    return summary;
  }
  function showErrors(form, message, errors) {
    form.querySelectorAll(".field-error").forEach((e) => (e.textContent = ""));
    form.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
    const summary = summaryOf(form); summary.innerHTML = "";
    if (!message && !(errors && errors.length)) return;
    const head = document.createElement("p"); head.textContent = message; summary.appendChild(head);
    const list = document.createElement("ul");
    for (const error of errors || []) {
      const item = document.createElement("li");
      const input = [...form.querySelectorAll("[data-path]")].find((i) => i.dataset.path === error.path);
      if (input) {
        document.getElementById(input.getAttribute("aria-describedby")).textContent = error.message; input.setAttribute("aria-invalid", "true");
        const link = document.createElement("a"); link.href = "#" + input.id; link.textContent = error.message;
        link.addEventListener("click", (event) => { event.preventDefault(); input.focus(); });
        item.appendChild(link);
      } else item.textContent = error.path ? `${error.path}: ${error.message}` : error.message;
      list.appendChild(item);
    }
    if (list.children.length) summary.appendChild(list);
    if (!summary.contains(document.activeElement)) summary.focus();
  }
  return { render, read, showErrors, summaryOf, check: (container) => [...container.querySelectorAll("[data-path]")].every((i) => i.reportValidity()) };
})();
