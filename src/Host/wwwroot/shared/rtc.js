// The video room: WebRTC between the teller's and the customer's browsers, signalled through the Host, with no
// STUN/TURN server. Rejoins by itself after a dropped connection.
window.vbRoom = async (caseId, role, { localVideo, remoteVideo, onStatus, onRemote }) => {
  const config = await fetch("/api/media/config").then((r) => r.json());
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  localVideo.srcObject = stream;
  let pc = null, ws = null, closed = false;
  const send = (message) => { if (ws && ws.readyState === 1) ws.send(JSON.stringify(message)); };
  const status = (s) => { try { onStatus && onStatus(s); } catch { /* a page's handler must never break the room */ } };
  function peer() {
    if (pc) pc.close();
    pc = new RTCPeerConnection({ iceServers: [] });
    stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    pc.ontrack = (event) => { remoteVideo.srcObject = event.streams[0]; onRemote && onRemote(event.streams[0]); };
    pc.onicecandidate = (event) => {
      if (event.candidate && (!config.loopbackOnly || event.candidate.candidate.includes("127.0.0.1"))) send({ type: "candidate", candidate: event.candidate });
    };
    pc.onconnectionstatechange = () => status(pc.connectionState);
  }
  async function offer() { peer(); await pc.setLocalDescription(await pc.createOffer()); send({ type: "offer", sdp: pc.localDescription }); }
  function connect() {
    ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/cases/${caseId}/room${vb.state.token ? "?access_token=" + encodeURIComponent(vb.state.token) : ""}`);
    ws.onopen = () => status("waiting");
    ws.onmessage = async (event) => {
      const message = JSON.parse(event.data);
      if ((message.type === "peer-joined" || message.type === "peer-present") && role === "teller") await offer();
      else if (message.type === "offer") { peer(); await pc.setRemoteDescription(message.sdp); await pc.setLocalDescription(await pc.createAnswer()); send({ type: "answer", sdp: pc.localDescription }); }
      else if (message.type === "answer" && pc) await pc.setRemoteDescription(message.sdp);
      else if (message.type === "candidate" && pc) { try { await pc.addIceCandidate(message.candidate); } catch { /* a late candidate for an old connection */ } }
      else if (message.type === "peer-left") status("peer-left");
    };
    ws.onclose = () => { if (!closed) { status("reconnecting"); setTimeout(connect, 1000); } };
  }
  connect();
  return { stream, get connection() { return pc; }, drop() { ws.close(); }, close() { closed = true; ws.close(); if (pc) pc.close(); stream.getTracks().forEach((t) => t.stop()); } };
};
