// The m2f viewer: the default head (GET /v1/head.glb, 52 ARKit morph targets) driven by frames from
// POST /v1/animate (an uploaded file, kept in sync with its audio) or from the /v1/stream WebSocket
// (the microphone, live). three.js r111 comes from Debian's libjs-three, served under /three/.
import * as THREE from '/three/build/three.module.js';
import { GLTFLoader } from '/three/examples/jsm/loaders/GLTFLoader.js';

const EMOTIONS = ['neutral', 'happy', 'sad', 'angry', 'surprised', 'disgusted', 'fearful', 'contempt'];
const params = new URLSearchParams(location.search);
const token = params.get('token');
const $ = (id) => document.getElementById(id);
const status = (text, isError = false) => { $('status').textContent = text; $('status').className = isError ? 'error' : ''; };

// Scene: camera in front of the face, soft key and fill lights.
const stage = $('stage');
const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
renderer.setPixelRatio(window.devicePixelRatio);
stage.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.background = new THREE.Color(0x1d2026);
const camera = new THREE.PerspectiveCamera(25, 1, 0.01, 100);
scene.add(new THREE.HemisphereLight(0xffffff, 0x404050, 0.9));
const key = new THREE.DirectionalLight(0xffffff, 0.8);
key.position.set(0.5, 0.6, 1);
scene.add(key);

let head = null;          // the glTF scene root (head pose goes here)
let meshes = [];          // meshes with morph targets
let player = null;        // what drives the face now: {frameAt(time) → {weights: {name: w}, pose: [6]}}
let clock = null;         // () → seconds of audio played (upload mode)

function resize() {
  const w = stage.clientWidth, h = stage.clientHeight;
  renderer.setSize(w, h, false);
  camera.aspect = w / h;
  camera.updateProjectionMatrix();
}
window.addEventListener('resize', resize);

async function loadHead() {
  const gltf = await new Promise((resolve, reject) => new GLTFLoader().load(withToken('/v1/head.glb'), resolve, undefined, reject));
  head = gltf.scene;
  scene.add(head);
  head.traverse((o) => { if (o.isMesh && o.morphTargetDictionary) meshes.push(o); });
  // Frame the face (the top half of the mesh; the rest is neck) from the front.
  const box = new THREE.Box3().setFromObject(head);
  const size = box.getSize(new THREE.Vector3());
  const center = new THREE.Vector3((box.min.x + box.max.x) / 2, box.max.y - 0.42 * size.y, (box.min.z + box.max.z) / 2);
  const distance = 0.55 * size.y / (2 * Math.tan(camera.fov * Math.PI / 360)) * 1.15;
  camera.position.set(center.x, center.y, center.z + distance + size.z / 2);
  camera.lookAt(center);
  resize();
}

// The screen box (CSS pixels) of the vertices that jawOpen moves most: where the test looks for the mouth.
function mouthBox() {
  const mesh = meshes.find((m) => m.morphTargetDictionary.jawOpen !== undefined);
  if (!mesh) return null;
  const base = mesh.geometry.attributes.position, delta = mesh.geometry.morphAttributes.position[mesh.morphTargetDictionary.jawOpen];
  let largest = 0;
  for (let i = 0; i < delta.count; i++) largest = Math.max(largest, Math.hypot(delta.getX(i), delta.getY(i), delta.getZ(i)));
  const rect = renderer.domElement.getBoundingClientRect(), box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const point = new THREE.Vector3();
  for (let i = 0; i < delta.count; i++) {
    if (Math.hypot(delta.getX(i), delta.getY(i), delta.getZ(i)) < 0.3 * largest) continue;
    point.set(base.getX(i), base.getY(i), base.getZ(i)).applyMatrix4(mesh.matrixWorld).project(camera);
    const x = rect.left + (point.x + 1) / 2 * rect.width, y = rect.top + (1 - point.y) / 2 * rect.height;
    box.x0 = Math.min(box.x0, x); box.x1 = Math.max(box.x1, x); box.y0 = Math.min(box.y0, y); box.y1 = Math.max(box.y1, y);
  }
  return box;
}

function withToken(url) {
  return token ? url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : url;
}

// Applies one frame: weights by ARKit name, head pose [yaw, pitch, roll, tx, ty, tz] (R = Ry·Rx·Rz).
function applyFrame(frame) {
  for (const mesh of meshes) {
    const influences = mesh.morphTargetInfluences;
    for (const [name, index] of Object.entries(mesh.morphTargetDictionary)) influences[index] = frame.weights[name] || 0;
  }
  if (head && frame.pose) {
    head.rotation.set(frame.pose[1], frame.pose[0], frame.pose[2], 'YXZ');
    head.position.set(frame.pose[3], frame.pose[4], frame.pose[5]);
  }
}

function styleQuery() {
  const q = new URLSearchParams();
  const text = $('text').value.trim(), emotion = $('emotion').value;
  if (text) q.set('text', text);
  else if (emotion) { q.set('emotion', emotion); if ($('intensity').value !== '1') q.set('intensity', $('intensity').value); }
  q.set('seed', String(Math.max(0, parseInt($('seed').value || '0', 10))));
  if (params.get('head') === 'still') q.set('no-head-pose', 'true');
  return q;
}

// Upload mode: the whole animation from POST /v1/animate, shown at the audio element's current time.
async function animateAndPlay(blob, name, at) {
  stop();
  status('animating ' + name + '…');
  const q = styleQuery();
  q.set('format', 'json');
  q.set('filename', name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100) || 'upload.wav');
  const headers = { 'Content-Type': blob.type || 'application/octet-stream' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  const response = await fetch('/v1/animate?' + q, { method: 'POST', body: blob, headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  const names = body.blendshapes, fps = body.fps;
  const audio = new Audio(URL.createObjectURL(blob));
  player = {
    frameAt(time) {
      const position = Math.min(Math.max(time * fps, 0), body.frames.length - 1);
      const i = Math.floor(position), j = Math.min(i + 1, body.frames.length - 1), f = position - i;
      const weights = {};
      names.forEach((n, c) => { weights[n] = body.frames[i][c] * (1 - f) + body.frames[j][c] * f; });
      const pose = body.headPose ? body.headPose[i].map((v, c) => v * (1 - f) + body.headPose[j][c] * f) : null;
      return { weights, pose };
    },
    audio,
  };
  clock = () => audio.currentTime;
  await new Promise((resolve, reject) => { audio.onloadedmetadata = resolve; audio.onerror = () => reject(new Error('the browser cannot play ' + name)); });
  status(`${name}: ${body.frames.length} frames (${(body.frames.length / fps).toFixed(1)} s) playing`);
  await audio.play();
  if (at !== null) {
    // The viewer test: play until the audio passes `at`, then pause there exactly and hold the frame
    // (a screenshot of a moving face would depend on when it is taken).
    const reached = await new Promise((resolve) => {
      const check = () => (audio.currentTime >= at || audio.ended ? resolve(audio.currentTime) : requestAnimationFrame(check));
      check();
    });
    audio.pause();
    audio.currentTime = at;
    await new Promise((resolve) => { audio.onseeked = resolve; });
    window.m2fHold = true;
    applyFrame(player.frameAt(audio.currentTime));
    renderer.render(scene, camera);
    status(`${name}: ${body.frames.length} frames, played to ${reached.toFixed(2)} s, held at ${audio.currentTime.toFixed(2)} s`);
    window.m2fReady = { time: audio.currentTime, played: reached, frames: body.frames.length, mouth: mouthBox() };
  }
}

// Live mode: microphone → 16 kHz s16le PCM over the WebSocket; frames are shown as they arrive.
async function live() {
  stop();
  const media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(media);
  const q = styleQuery();
  q.set('sample-rate', String(context.sampleRate));
  const socket = new WebSocket(withToken(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream?${q}`));
  socket.binaryType = 'arraybuffer';
  const processor = context.createScriptProcessor(4096, 1, 1);
  processor.onaudioprocess = (event) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    const input = event.inputBuffer.getChannelData(0), pcm = new Int16Array(input.length);
    for (let i = 0; i < input.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(input[i] * 32767)));
    socket.send(pcm.buffer);
  };
  source.connect(processor);
  processor.connect(context.destination);
  let latest = null;
  const seen = { frames: 0, jawOpen: [] };  // for ?live=N (the viewer test): N frames, then ready
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'frame') {
      latest = message;
      seen.frames += 1;
      seen.jawOpen.push(message.weights[ARKIT.indexOf('jawOpen')]);
      if (params.has('live') && seen.frames === parseInt(params.get('live'), 10)) {
        window.m2fReady = { live: true, frames: seen.frames, jawOpenMin: Math.min(...seen.jawOpen), jawOpenMax: Math.max(...seen.jawOpen) };
      }
    } else if (message.type === 'ready') { ARKIT = message.blendshapes; status(`live: look-ahead ${(message.lookAheadSeconds * 1000).toFixed(0)} ms`); }
    else if (message.type === 'error') { status(message.error, true); if (params.has('live')) window.m2fReady = { error: message.error }; }
  };
  socket.onclose = () => { if (player && player.socket === socket) status('live stream closed'); };
  player = {
    socket,
    frameAt() {
      if (!latest) return null;
      const weights = {};
      ARKIT.forEach((n, c) => { weights[n] = latest.weights[c]; });
      return { weights, pose: latest.headPose };
    },
    stop() { processor.disconnect(); source.disconnect(); media.getTracks().forEach((t) => t.stop()); context.close(); socket.close(); },
  };
  clock = () => 0;
  // Style changes go to the running stream (blended by the server).
  player.restyle = () => {
    const s = {};
    const text = $('text').value.trim(), emotion = $('emotion').value;
    if (text) s.text = text; else if (emotion) { s.emotion = emotion; s.intensity = parseFloat($('intensity').value); }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(s));
  };
}

// The 52 ARKit names in the order of /v1/stream's "weights" (sent in its "ready" message).
let ARKIT = [];

function stop() {
  if (player && player.audio) player.audio.pause();
  if (player && player.stop) player.stop();
  player = null;
}

function tick() {
  requestAnimationFrame(tick);
  if (player && !window.m2fHold) {
    const frame = player.frameAt(clock());
    if (frame) applyFrame(frame);
  }
  renderer.render(scene, camera);
}

async function fetchDemo() {
  const response = await fetch('/demo.wav');
  if (!response.ok) throw new Error((await response.json()).error);
  return response.blob();
}

async function main() {
  for (const e of EMOTIONS) $('emotion').insertAdjacentHTML('beforeend', `<option>${e}</option>`);
  $('intensity').oninput = () => { $('intensityValue').textContent = Number($('intensity').value).toFixed(2); };
  for (const id of ['text', 'emotion', 'intensity']) $(id).addEventListener('change', () => player && player.restyle && player.restyle());
  const report = (error) => status(error.message || String(error), true);
  $('animate').onclick = () => { const f = $('file').files[0]; if (!f) return status('choose an audio file first', true); animateAndPlay(f, f.name, null).catch(report); };
  $('demo').onclick = () => fetchDemo().then((b) => animateAndPlay(b, 'demo.wav', null)).catch(report);
  $('live').onclick = () => live().catch(report);
  $('stop').onclick = () => { stop(); status('stopped'); };
  resize();
  await loadHead();
  tick();
  status('ready: animate a file, play the demo clip, or go live');
  // The viewer test: ?play=demo&at=SECONDS[&head=still] plays the demo clip and holds it at one moment;
  // ?live=FRAMES goes live (Chromium's fake microphone) and is ready after that many frames.
  if (params.has('live')) await live();
  if (params.get('play') === 'demo') {
    const at = params.has('at') ? parseFloat(params.get('at')) : null;
    await animateAndPlay(await fetchDemo(), 'demo.wav', at);
  }
}

main().catch((error) => { status(error.message || String(error), true); window.m2fReady = { error: String(error) }; });
