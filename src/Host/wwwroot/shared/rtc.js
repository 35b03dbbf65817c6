// The video room: WebRTC between the teller's and the customer's browsers, signalled through the Host. The ICE servers
// (STUN, and TURN with credentials issued to this caller) and the transport policy come from /api/media/config; without
// any ICE server, candidates stay on 127.0.0.1 (one machine, tests). Rejoins by itself after a dropped connection.
window.vbRoom = async (caseId, role, { localVideo, remoteVideo, onStatus, onRemote }) => {
  let config = await vb.call("GET", "/api/media/config");
  // TURN credentials open new relays only for a few minutes: fetch fresh ones halfway, so a rejoin late in a call still relays.
  let renewal = null;
  const renew = (seconds) => {
    clearTimeout(renewal);
    if (!seconds) return;
    renewal = setTimeout(async () => {
      try { config = await vb.call("GET", "/api/media/config"); renew(config.credentialSeconds); } catch { renew(60); }
    }, seconds * 500);
  };
  renew(config.credentialSeconds);
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  localVideo.srcObject = stream;
  let pc = null, ws = null, closed = false;
  // ICE candidates can be gathered before our offer or answer is sent, and can arrive before the remote description is
  // set: hold them until each side is ready, or the only loopback candidate is lost and the call never connects.
  let outgoing = [], described = false, incoming = [];
  const send = (message) => { if (ws && ws.readyState === 1) ws.send(JSON.stringify(message)); };
  const status = (s) => { try { onStatus && onStatus(s); } catch { /* a page's handler must never break the room */ } };
  function peer() {
    if (pc) pc.close();
    outgoing = []; described = false; incoming = [];
    pc = new RTCPeerConnection({ iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy });
    stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    pc.ontrack = (event) => { remoteVideo.srcObject = event.streams[0]; onRemote && onRemote(event.streams[0]); };
    pc.onicecandidate = (event) => {
      if (event.candidate && (!config.loopbackOnly || event.candidate.candidate.includes("127.0.0.1"))) {
        if (described) send({ type: "candidate", candidate: event.candidate }); else outgoing.push(event.candidate);
      }
    };
    const mine = pc;
    pc.onconnectionstatechange = () => {
      status(mine.connectionState);
      if (role === "teller" && !closed && pc === mine && (mine.connectionState === "failed" || mine.connectionState === "disconnected")) {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => { if (!closed && pc === mine && mine.connectionState !== "connected") offer(); }, 2000);
      }
    };
  }
  function sendDescription(type) {
    send({ type, sdp: pc.localDescription });
    described = true;
    outgoing.forEach((candidate) => send({ type: "candidate", candidate })); outgoing = [];
  }
  async function remote(sdp) {
    await pc.setRemoteDescription(sdp);
    for (const candidate of incoming) { try { await pc.addIceCandidate(candidate); } catch { /* stale */ } }
    incoming = [];
  }
  // The teller leads: if a call does not reach "connected" (a lost candidate, a busy machine, a network blip),
  // it offers again rather than leave both people looking at a black screen.
  let watchdog = null;
  async function offer() {
    peer();
    const mine = pc;
    await pc.setLocalDescription(await pc.createOffer());
    sendDescription("offer");
    clearTimeout(watchdog);
    watchdog = setTimeout(() => { if (!closed && pc === mine && pc.connectionState !== "connected") offer(); }, 5000);
  }
  function connect() {
    ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/cases/${caseId}/room${vb.state.token ? "?access_token=" + encodeURIComponent(vb.state.token) : ""}`);
    ws.onopen = () => status("waiting");
    ws.onmessage = async (event) => {
      const message = JSON.parse(event.data);
      if ((message.type === "peer-joined" || message.type === "peer-present") && role === "teller") await offer();
      else if (message.type === "offer") { peer(); await remote(message.sdp); await pc.setLocalDescription(await pc.createAnswer()); sendDescription("answer"); }
      else if (message.type === "answer" && pc) await remote(message.sdp);
      else if (message.type === "candidate") {
        if (!pc || !pc.remoteDescription) incoming.push(message.candidate);
        else { try { await pc.addIceCandidate(message.candidate); } catch { /* a late candidate for an old connection */ } }
      }
      else if (message.type === "peer-left") status("peer-left");
    };
    ws.onclose = () => { if (!closed) { status("reconnecting"); setTimeout(connect, 1000); } };
  }
  connect();
  return { stream, get connection() { return pc; }, drop() { ws.close(); }, close() { closed = true; clearTimeout(renewal); ws.close(); if (pc) pc.close(); stream.getTracks().forEach((t) => t.stop()); } };
};
