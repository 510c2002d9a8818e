// The emulator's console: stages and participants, live; watch and join in the browser.
// Plain modern JavaScript, no dependencies. It speaks to the emulator's console
// endpoints (/_console/api/) and, for media, to the stage's own WHIP endpoint.

const $ = (selector) => document.querySelector(selector);
const main = $('#main');

// -- a tiny DOM helper: text is always text, never HTML -------------------------------
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
const table = (headings, rows) =>
  h('table', {}, h('thead', {}, h('tr', {}, headings.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', {colspan: headings.length, class: 'muted'}, 'None'))));
const status = (text, error = false) => { $('#status').textContent = text; $('#status').className = error ? 'error' : ''; };

// -- the console's endpoints ---------------------------------------------------------
async function api(path, options = {}) {
  const response = await fetch('/_console/api/' + path, {
    ...options, credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}
const call = (operation, params = {}) =>
  api('call/' + operation, {method: 'POST', body: JSON.stringify(params)});
const pathOf = (url) => new URL(url, location.href).pathname;

// -- media: WHIP publish and subscribe ------------------------------------------------
async function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000);
  });
}
async function whip(url, token, pc) {
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const response = await fetch(url, {
    method: 'POST', body: pc.localDescription.sdp,
    headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/sdp'},
  });
  const answer = await response.text();
  if (response.status !== 201) throw new Error(answer || `WHIP answered ${response.status}`);
  await pc.setRemoteDescription({type: 'answer', sdp: answer});
  return response.headers.get('Location');
}
// Ends a WHIP session; keepalive lets it outlive the page (pagehide).
function whipDelete(session) {
  if (!session.location) return;
  fetch(session.location, {method: 'DELETE', keepalive: true,
                           headers: {'Authorization': 'Bearer ' + session.token}}).catch(() => {});
  session.location = null;
}

// -- state of the page ----------------------------------------------------------------
let view = null;            // {kind: 'list'} or {kind: 'stage', arn}
const watching = new Map(); // participantId -> {pc, token, location, figure}
let joined = null;          // {pc, token, location, stream, participantId}
let refreshing = null, again = false;
let recordingTimer = null;  // while a recording of the shown stage is live
const mine = new Set();     // participants this page joined as: never watched, even as they leave

function stopWatching(participantId, end) {
  const sub = watching.get(participantId);
  if (!sub) return;
  watching.delete(participantId);
  if (end) whipDelete(sub);
  sub.pc.close();
  sub.figure.remove();
}
function leaveStage() {
  for (const id of [...watching.keys()]) stopWatching(id, true);
  if (joined) {
    whipDelete(joined);
    joined.pc.close();
    joined.stream.getTracks().forEach((track) => track.stop());
    joined = null;
  }
}
addEventListener('pagehide', leaveStage);

// -- the stage list -------------------------------------------------------------------
function showList() {
  const name = h('input', {placeholder: 'new stage name', id: 'new-stage-name'});
  const create = async () => {
    try { await call('CreateStage', {name: name.value}); name.value = ''; }
    catch (error) { status(error.message, true); }
  };
  main.replaceChildren(h('h1', {}, 'Stages'),
    h('div', {class: 'bar'}, name, h('button', {class: 'primary', id: 'create-stage', onclick: create}, 'Create stage')),
    h('div', {id: 'stages'}));
}
async function renderList() {
  const {stages} = await call('ListStages', {maxResults: 100});
  const counts = await Promise.all(stages.map(async (stage) => stage.activeSessionId
    ? (await call('ListParticipants', {stageArn: stage.arn, sessionId: stage.activeSessionId,
                                       filterByState: 'CONNECTED', maxResults: 100})).participants.length
    : 0));
  const rows = stages.map((stage, i) => h('tr', {'data-arn': stage.arn},
    h('td', {}, h('a', {href: '#/stage/' + encodeURIComponent(stage.arn), class: 'stage-link'}, stage.name || '(no name)')),
    h('td', {class: 'arn'}, stage.arn),
    h('td', {}, Object.entries(stage.tags || {}).map(([k, v]) => `${k}=${v}`).join(', ')),
    h('td', {class: 'arn'}, stage.activeSessionId || ''),
    h('td', {class: 'count'}, counts[i]),
    h('td', {}, h('button', {class: 'delete-stage', onclick: () => call('DeleteStage', {arn: stage.arn})
      .catch((error) => status(error.message, true))}, 'Delete'))));
  $('#stages').replaceChildren(table(['Name', 'ARN', 'Tags', 'Active session', 'Participants', ''], rows));
}

// -- one stage ------------------------------------------------------------------------
function showStage(arn) {
  const userId = h('input', {id: 'join-user-id', value: 'console-user', size: 14});
  const publish = h('input', {type: 'checkbox', id: 'cap-publish', checked: true});
  const subscribe = h('input', {type: 'checkbox', id: 'cap-subscribe', checked: true});
  const button = h('button', {class: 'primary', id: 'join'}, 'Join');
  button.addEventListener('click', () => (joined ? leave(button) : join(arn, button, userId.value,
    [publish.checked && 'PUBLISH', subscribe.checked && 'SUBSCRIBE'].filter(Boolean))));
  main.replaceChildren(h('p', {}, h('a', {href: '#/'}, '← Stages')),
    h('h1', {id: 'stage-title'}, arn),
    h('div', {class: 'bar'}, h('label', {}, 'User id ', userId),
      h('label', {}, publish, ' PUBLISH'), h('label', {}, subscribe, ' SUBSCRIBE'), button),
    h('div', {class: 'videos', id: 'videos'}), h('div', {id: 'tables'}));
}
async function join(arn, button, userId, capabilities) {
  button.disabled = true;
  try {
    const stage = (await call('GetStage', {arn})).stage;
    const issued = (await call('CreateParticipantToken', {stageArn: arn, userId, capabilities})).participantToken;
    const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
    const pc = new RTCPeerConnection();
    for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: 'sendonly'});
    joined = {pc, stream, token: issued.token, participantId: issued.participantId, location: null};
    mine.add(issued.participantId);
    const preview = h('video', {muted: true, autoplay: true, playsinline: true});
    preview.muted = true; preview.srcObject = stream;
    joined.figure = h('figure', {id: 'me'}, preview, h('figcaption', {}, `${userId} (you)`));
    $('#videos').prepend(joined.figure);
    joined.location = await whip(pathOf(stage.endpoints.whip), issued.token, pc);
    button.textContent = 'Leave';
    status(`Joined as ${issued.participantId}`);
  } catch (error) {
    status(error.message, true);
    if (joined) { joined.figure?.remove(); joined.pc.close(); joined.stream.getTracks().forEach((t) => t.stop()); joined = null; }
  } finally { button.disabled = false; }
}
function leave(button) {
  const {figure} = joined;
  leaveStage();
  figure.remove();
  button.textContent = 'Join';
  status('Left the stage');
  // Watching resumes on the next refresh.
  refresh();
}
function watch(stage, participant) {
  const video = h('video', {autoplay: true, playsinline: true, controls: true, 'data-participant-id': participant.participantId});
  video.muted = true; // autoplay needs it; the controls unmute
  const figure = h('figure', {}, video, h('figcaption', {}, participant.userId || participant.participantId));
  const sub = {pc: new RTCPeerConnection(), token: null, location: null, figure};
  watching.set(participant.participantId, sub);
  $('#videos').append(figure);
  const stream = new MediaStream();
  video.srcObject = stream;
  sub.pc.addEventListener('track', (event) => stream.addTrack(event.track));
  sub.pc.addTransceiver('audio', {direction: 'recvonly'});
  sub.pc.addTransceiver('video', {direction: 'recvonly'});
  (async () => {
    // A subscribe-only participant of its own, as a viewer in IVS's console is.
    const issued = (await call('CreateParticipantToken', {stageArn: stage.arn, userId: 'console-viewer',
                                                          capabilities: ['SUBSCRIBE']})).participantToken;
    sub.token = issued.token;
    sub.location = await whip(pathOf(stage.endpoints.whip) + '/subscribe/' + participant.participantId, sub.token, sub.pc);
    if (!watching.has(participant.participantId)) whipDelete(sub);
  })().catch((error) => status(error.message, true));
}
// -- recordings: files read through the console's own endpoint -------------------------
// An individual recording is named by its session and participant; a composite one by
// its composition and S3 destination (r.compositionArn is set only on a composite).
const PLAYLIST = 'media/hls/multivariant.m3u8';
const LIVE = new Set(['STARTING', 'ACTIVE', 'STOPPING']);
const whose = (r) => (r.compositionArn
  ? {compositionArn: r.compositionArn, destinationId: r.destinationId}
  : {sessionId: r.sessionId, participantId: r.participantId});
const fileUrl = (arn, r, path) => '/_console/api/recording-file?' + new URLSearchParams(
  {stageArn: arn, ...whose(r), path});
const marks = (r) => (r.compositionArn
  ? {'data-composition-arn': r.compositionArn, 'data-destination-id': r.destinationId}
  : {'data-participant-id': r.participantId});
function recordingCells(arn, r) {
  const paths = r.files.map((f) => f.path);
  return [h('td', {class: 'state'}, r.state), h('td', {}, r.bucket), h('td', {class: 'arn'}, r.prefix),
    h('td', {}, paths.includes(PLAYLIST)
      ? h('a', {class: 'playlist', href: fileUrl(arn, r, PLAYLIST), target: '_blank'}, 'multivariant.m3u8') : ''),
    h('td', {}, h('details', {}, h('summary', {}, `${paths.length} files`),
      h('ul', {class: 'files'}, r.files.map((f) =>
        h('li', {}, h('a', {href: fileUrl(arn, r, f.path), target: '_blank'}, f.path), ` (${f.size} bytes)`)))))];
}
const recordingRow = (arn, r) => h('tr', {class: 'recording', ...marks(r)},
  h('td', {class: 'arn'}, r.participantId), h('td', {}, r.userId || ''), recordingCells(arn, r));
const compositeRow = (arn, r) => h('tr', {class: 'composite', ...marks(r)},
  h('td', {class: 'arn'}, r.compositionArn), h('td', {class: 'arn'}, r.destinationId), recordingCells(arn, r));
function thumbnails(arn, r) {
  const images = r.files.filter((f) => f.path.startsWith('media/thumbnails/') && f.path.endsWith('.jpg'))
    .sort((a, b) => a.path.localeCompare(b.path, undefined, {numeric: true})).slice(-6);
  const caption = r.compositionArn ? `composite ${r.destinationId}` : r.userId || r.participantId;
  return images.length ? h('figure', marks(r),
    images.map((f) => h('img', {class: 'thumbnail', src: fileUrl(arn, r, f.path), alt: f.path, width: 160})),
    h('figcaption', {}, `${caption}: thumbnails`)) : null;
}
const when = (time) => (time ? new Date(time).toLocaleTimeString() : '');
async function renderStage(arn) {
  // Recordings first: what decides whom to watch (the participants) is read last, fresh.
  const {recordings, composites} = await api('recordings?stageArn=' + encodeURIComponent(arn));
  const {stage} = await call('GetStage', {arn});
  const {stageSessions} = await call('ListStageSessions', {stageArn: arn, maxResults: 100});
  $('#stage-title').textContent = stage.name || stage.arn;
  const sessionId = stage.activeSessionId || stageSessions[0]?.sessionId;
  let participants = [], events = [];
  if (sessionId) {
    const listed = (await call('ListParticipants', {stageArn: arn, sessionId, maxResults: 100})).participants;
    participants = await Promise.all(listed.map(async (p) =>
      (await call('GetParticipant', {stageArn: arn, sessionId, participantId: p.participantId})).participant));
    const perParticipant = await Promise.all(participants.map(async (p) =>
      (await call('ListParticipantEvents', {stageArn: arn, sessionId, participantId: p.participantId, maxResults: 100})).events));
    events = perParticipant.flat().sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  }
  const {compositions} = await call('ListCompositions', {filterByStageArn: arn, maxResults: 100});
  const bridge = (await api('events?stageArn=' + encodeURIComponent(arn))).events;
  // A live recording writes files without an event: read the stage again while one is live.
  clearTimeout(recordingTimer);
  if ([...recordings, ...composites].some((r) => LIVE.has(r.state))) {
    recordingTimer = setTimeout(() => view?.kind === 'stage' && view.arn === arn && refresh(), 2000);
  }
  // Watch every connected publisher but ourselves; stop watching those who stopped.
  const live = new Set();
  for (const p of participants) {
    if (p.state === 'CONNECTED' && p.published && !mine.has(p.participantId)) {
      live.add(p.participantId);
      if (!watching.has(p.participantId)) watch(stage, p);
    }
  }
  for (const id of [...watching.keys()]) if (!live.has(id)) stopWatching(id, false);
  const disconnect = (p) => h('button', {class: 'disconnect', onclick: () =>
    call('DisconnectParticipant', {stageArn: arn, participantId: p.participantId, reason: 'Disconnected from the console'})
      .catch((error) => status(error.message, true))}, 'Disconnect');
  $('#tables').replaceChildren(
    h('p', {class: 'arn'}, stage.arn),
    h('h2', {}, 'Sessions'),
    table(['Session', 'Started', 'Ended'], stageSessions.map((s) => h('tr', {},
      h('td', {class: 'arn'}, s.sessionId), h('td', {}, when(s.startTime)), h('td', {}, when(s.endTime))))),
    h('h2', {}, 'Participants', sessionId ? h('span', {class: 'muted'}, ` of ${sessionId}`) : ''),
    table(['Participant', 'User id', 'Attributes', 'State', 'Publishing', 'Recording', 'Replication', ''],
      participants.map((p) => h('tr', {'data-participant-id': p.participantId, 'data-user-id': p.userId || ''},
        h('td', {class: 'arn'}, p.participantId), h('td', {class: 'user-id'}, p.userId || ''),
        h('td', {}, Object.entries(p.attributes || {}).map(([k, v]) => `${k}=${v}`).join(', ')),
        h('td', {class: 'state'}, p.state), h('td', {class: 'published'}, p.published ? 'yes' : 'no'),
        h('td', {}, p.recordingState || ''),
        h('td', {}, [p.replicationType, p.replicationState].filter(Boolean).join(' ')),
        h('td', {}, p.state === 'CONNECTED' ? disconnect(p) : '')))),
    h('h2', {}, 'Participant events'),
    table(['Time', 'Event', 'Participant', 'Remote participant', 'Error'], events.map((e) => h('tr', {},
      h('td', {}, when(e.eventTime)), h('td', {}, e.name), h('td', {class: 'arn'}, e.participantId),
      h('td', {class: 'arn'}, e.remoteParticipantId || ''), h('td', {}, e.errorCode || '')))),
    h('h2', {}, 'Compositions'),
    table(['Composition', 'State', 'Destinations', 'Started'], compositions.map((c) => h('tr', {},
      h('td', {class: 'arn'}, c.arn), h('td', {}, c.state),
      h('td', {}, c.destinations.map((d) => `${d.id}: ${d.state}`).join(', ')), h('td', {}, when(c.startTime))))),
    h('h2', {}, 'Recordings'),
    table(['Participant', 'User id', 'State', 'Bucket', 'Prefix', 'Playlist', 'Files'],
      recordings.map((r) => recordingRow(arn, r))),
    h('h2', {}, 'Composite recordings'),
    table(['Composition', 'Destination', 'State', 'Bucket', 'Prefix', 'Playlist', 'Files'],
      composites.map((r) => compositeRow(arn, r))),
    h('div', {class: 'thumbnails', id: 'thumbnails'},
      [...recordings, ...composites].map((r) => thumbnails(arn, r))),
    h('h2', {}, 'EventBridge events'),
    table(['Time', 'Detail type', 'Detail'], bridge.map((e) => h('tr', {},
      h('td', {}, when(e.time)), h('td', {}, e['detail-type']), h('td', {}, h('code', {}, JSON.stringify(e.detail)))))));
}

// -- navigation and live updates ------------------------------------------------------
function route() {
  const match = location.hash.match(/^#\/stage\/(.+)$/);
  const next = match ? {kind: 'stage', arn: decodeURIComponent(match[1])} : {kind: 'list'};
  if (view && view.kind === next.kind && view.arn === next.arn) return;
  leaveStage();
  view = next;
  if (view.kind === 'stage') showStage(view.arn); else showList();
  refresh();
}
async function refresh() {
  if (refreshing) { again = true; return; }
  refreshing = (async () => {
    do {
      again = false;
      try {
        if (view.kind === 'stage') await renderStage(view.arn); else await renderList();
        if (!$('#status').classList.contains('error')) status(`Updated ${new Date().toLocaleTimeString()}`);
      } catch (error) { status(error.message, true); }
    } while (again);
  })();
  await refreshing;
  refreshing = null;
}
function start() {
  $('#signin').hidden = true;
  main.hidden = false;
  const stream = new EventSource('/_console/api/stream');
  stream.addEventListener('change', () => refresh());
  addEventListener('hashchange', route);
  route();
}
async function boot() {
  const who = await api('whoami');
  $('#signout').hidden = !who.signInRequired;
  $('#signout').addEventListener('click', async () => { await api('signout', {method: 'POST'}); location.reload(); });
  if (!who.signInRequired || who.signedIn) return start();
  main.hidden = true;
  const form = $('#signin');
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('signin', {method: 'POST', body: JSON.stringify(Object.fromEntries(new FormData(form)))});
      form.reset();
      start();
    } catch (error) { $('#signin-error').textContent = error.message; }
  });
}
boot();
