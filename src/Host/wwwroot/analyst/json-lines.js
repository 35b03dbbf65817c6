// Maps JSON paths such as $.activities[3].inputs.condition to the line where that value starts, so problems show next to their lines.
window.jsonLines = (text) => {
  const lines = {}; let i = 0, line = 1;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) { if (text[i] === "\n") line++; i++; } };
  const str = () => { let s = ""; i++; while (i < text.length && text[i] !== '"') { if (text[i] === "\\") { s += text[i + 1]; i += 2; } else { if (text[i] === "\n") line++; s += text[i++]; } } i++; return s; };
  const value = (path) => {
    ws(); lines[path] = line;
    if (text[i] === "{") { i++; ws(); while (i < text.length && text[i] !== "}") { ws(); const k = str(); ws(); i++; value(path + "." + k); ws(); if (text[i] === ",") i++; ws(); } i++; }
    else if (text[i] === "[") { i++; let n = 0; ws(); while (i < text.length && text[i] !== "]") { value(path + "[" + n++ + "]"); ws(); if (text[i] === ",") i++; ws(); } i++; }
    else if (text[i] === '"') str();
    else { while (i < text.length && !/[,\]\}\s]/.test(text[i])) i++; }
  };
  try { value("$"); } catch { /* a text that is not JSON maps everything to line 1 */ }
  return (path) => { let p = path; while (p && !(p in lines)) p = p.replace(/(\.[^.\[]+|\[\d+\])$/, ""); return lines[p] || 1; };
};
