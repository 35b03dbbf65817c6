// Records a stream with MediaRecorder and uploads each chunk as it comes, with its SHA-256, in order.
// Chunks already acknowledged stay even if the tab closes; a chunk that never arrives leaves a visible gap.
window.vbRecorder = (recordingId, stream, onProgress) => {
  const recorder = new MediaRecorder(stream, { mimeType: MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus") ? "video/webm;codecs=vp8,opus" : "video/webm" });
  let index = 0, queue = Promise.resolve(), uploaded = 0;
  const started = Date.now();
  async function upload(blob) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
    const n = index++;
    const response = await fetch(`/api/recordings/${recordingId}/chunks/${n}`, {
      method: "PUT", body: bytes, headers: { ...(vb.state.token ? { Authorization: "Bearer " + vb.state.token } : {}), "Content-Type": "video/webm", "Content-Digest": `sha-256=:${digest}:` },
    });
    if (response.ok) uploaded++;
    onProgress && onProgress({ uploaded, status: response.status });
  }
  recorder.ondataavailable = (event) => { if (event.data.size > 0) queue = queue.then(() => upload(event.data)); };
  recorder.start(500);
  return {
    elapsedMs: () => Date.now() - started,
    async stop() { if (recorder.state !== "inactive") { recorder.stop(); await new Promise((r) => setTimeout(r, 50)); } await queue; return uploaded; },
  };
};
