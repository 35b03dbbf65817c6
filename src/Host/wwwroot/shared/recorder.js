// The whole session on record (双录): every participant's video side by side on a canvas and every participant's audio
// mixed into one track, recorded with MediaRecorder. Each recorder (each page load) opens a segment of its own, so a
// reload continues the recording as the next segment. Chunks go up in order with their SHA-256; a chunk the network or
// a restarting Host lost is sent again until it lands; a chunk the Host refuses stops the recorder and says why.

// A composite of the given <video> elements (one tile each, in a grid on a 1280×720 frame) with their streams' audio mixed.
// add(video) and remove(video) change who is on it while it records: someone joining the call joins the recording.
window.vbComposite = (videos) => {
  const W = 1280, H = 720, canvas = document.createElement("canvas");
  canvas.width = W; canvas.height = H;
  const tiles = [...videos], g = canvas.getContext("2d");
  const draw = () => {
    g.fillStyle = "#000"; g.fillRect(0, 0, W, H);
    const columns = Math.ceil(Math.sqrt(tiles.length)), rows = Math.ceil(tiles.length / columns);
    const tw = W / columns, th = H / rows;
    tiles.forEach((v, i) => {
      if (v.readyState < 2 || !v.videoWidth) return;
      const x = (i % columns) * tw, y = Math.floor(i / columns) * th;
      const scale = Math.min(tw / v.videoWidth, th / v.videoHeight), w = v.videoWidth * scale, h = v.videoHeight * scale;
      g.drawImage(v, x + (tw - w) / 2, y + (th - h) / 2, w, h);
    });
  };
  const painter = setInterval(draw, 1000 / 15); // a timer, not requestAnimationFrame: it keeps drawing when the tab is hidden
  const audio = new AudioContext(), mix = audio.createMediaStreamDestination(), heard = new Set();
  audio.resume().catch(() => {});
  const listen = (stream) => {
    if (!stream || heard.has(stream.id) || !stream.getAudioTracks().length) return;
    heard.add(stream.id); audio.createMediaStreamSource(stream).connect(mix);
  };
  videos.forEach((v) => listen(v.srcObject));
  const stream = new MediaStream([...canvas.captureStream(15).getVideoTracks(), ...mix.stream.getAudioTracks()]);
  return {
    stream, listen,
    get tiles() { return tiles.length; },
    add(video) { if (!tiles.includes(video)) tiles.push(video); listen(video.srcObject); },
    remove(video) { const i = tiles.indexOf(video); if (i >= 0) tiles.splice(i, 1); },
    stop() { clearInterval(painter); stream.getTracks().forEach((t) => t.stop()); audio.close().catch(() => {}); },
  };
};

// onState({ segment, uploaded, retrying, refused }) after every change.
window.vbRecorder = async (recordingId, stream, onState) => {
  const auth = () => (vb.state.token ? { Authorization: "Bearer " + vb.state.token } : {});
  const { segment } = await vb.call("POST", `/api/recordings/${recordingId}/segments`);
  const recorder = new MediaRecorder(stream, { mimeType: MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus") ? "video/webm;codecs=vp8,opus" : "video/webm" });
  const state = { segment, uploaded: 0, retrying: false, refused: null };
  const tell = () => { try { onState && onState({ ...state }); } catch { /* a page's handler must never stop the recording */ } };
  let index = 0, queue = Promise.resolve(), stopped = false;
  async function upload(blob) {
    if (state.refused) return;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
    const n = index++;
    for (let attempt = 0; ; attempt++) {
      let response = null;
      try {
        response = await fetch(`/api/recordings/${recordingId}/segments/${segment}/chunks/${n}`, {
          method: "PUT", body: bytes, headers: { ...auth(), "Content-Type": "video/webm", "Content-Digest": `sha-256=:${digest}:` },
        });
      } catch { /* the network or the Host is away: try again */ }
      if (response && response.ok) { state.uploaded++; state.retrying = false; tell(); return; }
      if (response && response.status < 500 && response.status !== 429 && response.status !== 408) {
        const problem = await response.json().catch(() => ({}));
        state.refused = problem.detail || problem.title || `HTTP ${response.status}`; state.retrying = false; tell();
        if (recorder.state !== "inactive") recorder.stop();
        return;
      }
      if (stopped && attempt >= 5) return;
      state.retrying = true; tell();
      await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 8000)));
    }
  }
  recorder.ondataavailable = (event) => { if (event.data.size > 0) queue = queue.then(() => upload(event.data)); };
  recorder.start(500);
  tell();
  return {
    get state() { return { ...state }; },
    async stop() {
      stopped = true;
      if (recorder.state !== "inactive") { const last = new Promise((r) => recorder.addEventListener("stop", r, { once: true })); recorder.stop(); await last; }
      await queue;
      // Tell the Host how many chunks this recorder sent: the seal waits for them and reports any that never arrived.
      await vb.call("POST", `/api/recordings/${recordingId}/segments/${segment}/end`, { chunks: index }).catch(() => {});
      return { ...state, sent: index };
    },
  };
};
