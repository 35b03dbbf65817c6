// The video room: WebRTC between everyone in a case's call (the teller, the customer, invited participants, a supervisor
// listening in), signalled through the Host. Each pair connects directly (a mesh: calls here have a handful of people);
// in each pair the one who leads (teller, then supervisor, then customer, then participants) makes the offer and offers
// again when the connection fails. The ICE servers (STUN, and TURN with credentials issued to this caller) and the
// transport policy come from /api/media/config; without any ICE server, candidates stay on 127.0.0.1 (one machine, tests).
// Rejoins by itself after a dropped connection.
//
// remoteVideo shows the main other person (the customer for the teller, the teller for everyone else); anyone else gets a
// <video> of their own next to it. onRemote(stream, peer, video) and onLeft(peer) tell the page who comes and goes.
window.vbRoom = async (caseId, role, { localVideo, remoteVideo, onStatus, onRemote, onLeft, listenOnly }) => {
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
  // VGA at 15 frames a second: what a 双录 recording needs, and what a phone on a mobile network and a teller's PC
  // sending to two or three people at once can keep up.
  const stream = listenOnly ? null : await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15, max: 30 } }, audio: true });
  if (stream) localVideo.srcObject = stream;
  const primary = role === "teller" ? "customer" : "teller";
  const peers = new Map();
  let me = { id: role, role }, ws = null, closed = false;
  const send = (message) => { if (ws && ws.readyState === 1) ws.send(JSON.stringify(message)); };
  const status = (s) => { try { onStatus && onStatus(s); } catch { /* a page's handler must never break the room */ } };
  const rank = (r) => ({ teller: 0, supervisor: 1, customer: 2 })[r] ?? 3;
  const leads = (p) => rank(me.role) - rank(p.role) < 0 || (rank(me.role) === rank(p.role) && me.id < p.id);

  function known(info) {
    let p = peers.get(info.id);
    if (!p) { p = { id: info.id, pc: null, outgoing: [], described: false, incoming: [], watchdog: null, video: null }; peers.set(info.id, p); }
    if (info.role) p.role = info.role;
    if (info.name) p.name = info.name;
    if (info.conn) p.conn = info.conn;
    return p;
  }

  function show(p, remote) {
    if (p.id === primary) p.video = remoteVideo;
    else if (!p.video) {
      p.video = document.createElement("video");
      p.video.autoplay = true; p.video.playsInline = true; p.video.className = "peer"; p.video.dataset.seat = p.id;
      p.video.setAttribute("aria-label", `${p.name || p.role} (${p.role})`);
      remoteVideo.parentElement.appendChild(p.video);
    }
    p.video.srcObject = remote;
    try { onRemote && onRemote(remote, { id: p.id, role: p.role, name: p.name }, p.video); } catch { /* the page's handler */ }
  }

  function forget(p) {
    clearTimeout(p.watchdog);
    if (p.pc) p.pc.close();
    peers.delete(p.id);
    if (p.video && p.video !== remoteVideo) p.video.remove();
    try { onLeft && onLeft({ id: p.id, role: p.role, name: p.name }); } catch { /* the page's handler */ }
  }

  // ICE candidates can be gathered before our offer or answer is sent, and can arrive before the remote description is
  // set: hold them until each side is ready, or the only loopback candidate is lost and the call never connects.
  function connectTo(p) {
    if (p.pc) p.pc.close();
    p.outgoing = []; p.described = false; p.incoming = [];
    const pc = p.pc = new RTCPeerConnection({ iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy });
    if (stream) stream.getTracks().forEach((track) => pc.addTrack(track, stream));
    else { pc.addTransceiver("audio", { direction: "recvonly" }); pc.addTransceiver("video", { direction: "recvonly" }); }
    pc.ontrack = (event) => show(p, event.streams[0] || new MediaStream([event.track]));
    pc.onicecandidate = (event) => {
      if (event.candidate && (!config.loopbackOnly || event.candidate.candidate.includes("127.0.0.1"))) {
        if (p.described) send({ type: "candidate", to: p.id, candidate: event.candidate }); else p.outgoing.push(event.candidate);
      }
    };
    pc.onconnectionstatechange = () => {
      if (p.id === primary) status(pc.connectionState);
      if (leads(p) && !closed && p.pc === pc && (pc.connectionState === "failed" || pc.connectionState === "disconnected")) {
        clearTimeout(p.watchdog);
        p.watchdog = setTimeout(() => { if (!closed && p.pc === pc && pc.connectionState !== "connected") offer(p); }, 2000);
      }
    };
    return pc;
  }
  function sendDescription(p, type) {
    send({ type, to: p.id, sdp: p.pc.localDescription });
    p.described = true;
    p.outgoing.forEach((candidate) => send({ type: "candidate", to: p.id, candidate })); p.outgoing = [];
  }
  async function remote(p, sdp) {
    await p.pc.setRemoteDescription(sdp);
    for (const candidate of p.incoming) { try { await p.pc.addIceCandidate(candidate); } catch { /* stale */ } }
    p.incoming = [];
  }
  // The leader of a pair offers; if the call does not reach "connected" (a lost candidate, a busy machine, a network blip),
  // it offers again rather than leave both people looking at a black screen.
  async function offer(p) {
    const pc = connectTo(p);
    await pc.setLocalDescription(await pc.createOffer());
    sendDescription(p, "offer");
    clearTimeout(p.watchdog);
    p.watchdog = setTimeout(() => { if (!closed && p.pc === pc && pc.connectionState !== "connected") offer(p); }, 5000);
  }
  function connect() {
    const query = new URLSearchParams();
    if (listenOnly) query.set("seat", "observer");
    if (vb.state.token) query.set("access_token", vb.state.token);
    ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/cases/${caseId}/room${query.size ? "?" + query : ""}`);
    ws.onopen = () => status("waiting");
    ws.onmessage = async (event) => {
      const message = JSON.parse(event.data);
      const from = message.from || primary;
      if (message.type === "welcome") me = { id: message.id, role: message.role };
      else if (message.type === "peer-joined" || message.type === "peer-present") {
        const before = peers.get(message.id);
        const again = before && before.pc && message.conn && before.conn === message.conn; // the same connection heard of twice
        const p = known(message);
        if (leads(p) && !again) await offer(p);
      } else if (message.type === "offer") {
        const p = known({ id: from }); connectTo(p); await remote(p, message.sdp);
        await p.pc.setLocalDescription(await p.pc.createAnswer()); sendDescription(p, "answer");
      } else if (message.type === "answer") { const p = peers.get(from); if (p && p.pc) await remote(p, message.sdp); }
      else if (message.type === "candidate") {
        const p = peers.get(from);
        if (!p) return;
        if (!p.pc || !p.pc.remoteDescription) p.incoming.push(message.candidate);
        else { try { await p.pc.addIceCandidate(message.candidate); } catch { /* a late candidate for an old connection */ } }
      } else if (message.type === "peer-left") {
        const p = peers.get(message.id);
        if (!p || (message.conn && p.conn && message.conn !== p.conn)) return; // an earlier connection of someone who is back
        forget(p);
        if (message.id === primary) status("peer-left");
      }
    };
    ws.onclose = () => { if (!closed) { status("reconnecting"); setTimeout(connect, 1000); } };
  }
  connect();
  return {
    stream,
    /** The connection to the main other person (the customer for the teller, the teller for anyone else). */
    get connection() { const p = peers.get(primary); return p ? p.pc : null; },
    /** Everyone else in the room as this page sees them. */
    get peers() { return [...peers.values()].map((p) => ({ id: p.id, role: p.role, name: p.name, state: p.pc ? p.pc.connectionState : "new" })); },
    drop() { ws.close(); },
    close() {
      closed = true; clearTimeout(renewal); ws.close();
      peers.forEach((p) => { clearTimeout(p.watchdog); if (p.pc) p.pc.close(); });
      if (stream) stream.getTracks().forEach((t) => t.stop());
    },
  };
};
