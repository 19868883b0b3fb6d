/** The viewer page: self-contained HTML + JS (no build step, no external assets). */
export function viewerPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Deep Tree Echo — live arena</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: flex; gap: 16px; padding: 16px; background: #faf8f2; color: #222; }
  #world { border: 1px solid #ccc; image-rendering: pixelated; }
  #side { min-width: 360px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { padding: 2px 6px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
  .bar { display: inline-block; height: 8px; background: #6a6; vertical-align: middle; }
  .thought { color: #555; font-size: 12px; max-width: 320px; }
  #status { color: #666; margin-bottom: 8px; }
</style>
</head>
<body>
<canvas id="world" width="512" height="512"></canvas>
<div id="side">
  <h3>Deep Tree Echo</h3>
  <div id="status">waiting for frames…</div>
  <table><thead><tr><th>agent</th><th>body</th><th>urgency</th><th>focus / thought</th></tr></thead><tbody id="agents"></tbody></table>
</div>
<script>
const COLORS = ['#ece8dc', '#464650', '#50aa3c', '#3c78dc', '#dc3c28'];
const AGENT = ['#f0b400', '#aa3cc8', '#00b4b4', '#e664a0', '#785028', '#141414'];
const canvas = document.getElementById('world');
const ctx = canvas.getContext('2d');
let frames = 0;
function bar(v, color) { return '<span class="bar" style="width:' + Math.round(v * 40) + 'px;background:' + color + '"></span>'; }
function esc(s) { return String(s ?? '').replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]); }
function draw(frame) {
  const w = frame.world;
  const s = Math.floor(Math.min(512 / w.width, 512 / w.height));
  canvas.width = w.width * s; canvas.height = w.height * s;
  for (let y = 0; y < w.height; y++) for (let x = 0; x < w.width; x++) {
    ctx.fillStyle = COLORS[w.grid[y * w.width + x]] || '#000';
    ctx.fillRect(x * s, y * s, s, s);
  }
  w.agents.forEach((a, i) => {
    ctx.fillStyle = a.alive ? AGENT[i % AGENT.length] : '#999';
    ctx.beginPath(); ctx.arc(a.x * s + s / 2, a.y * s + s / 2, s * 0.38, 0, 2 * Math.PI); ctx.fill();
    const dx = [0, 1, 0, -1][a.heading], dy = [-1, 0, 1, 0][a.heading];
    ctx.strokeStyle = '#fff'; ctx.lineWidth = Math.max(1, s / 8);
    ctx.beginPath(); ctx.moveTo(a.x * s + s / 2, a.y * s + s / 2); ctx.lineTo(a.x * s + s / 2 + dx * s * 0.4, a.y * s + s / 2 + dy * s * 0.4); ctx.stroke();
  });
  const minds = new Map(frame.agents.map((m) => [m.id, m]));
  document.getElementById('agents').innerHTML = w.agents.map((a) => {
    const m = minds.get(a.id) || {};
    return '<tr><td>' + esc(a.id) + (a.alive ? '' : ' †') + '</td><td>' + bar(a.energy, '#c90') + bar(a.hydration, '#39c') + bar(a.health, '#6a6') +
      '</td><td>' + (m.urgency === undefined ? '' : m.urgency.toFixed(2)) + '</td><td class="thought">' + esc((m.focus || []).slice(0, 3).join(', ')) +
      (m.thought ? '<br><i>' + esc(m.thought) + '</i>' : '') + '</td></tr>';
  }).join('');
  frames++;
  const stats = Object.entries(frame.stats || {}).map(([k, v]) => k + ' ' + v).join(' · ');
  document.getElementById('status').textContent = 'tick ' + frame.tick + ' · frames ' + frames + (stats ? ' · ' + stats : '');
  document.body.dataset.tick = String(frame.tick);
  document.body.dataset.frames = String(frames);
}
const es = new EventSource('/viewer/events');
es.addEventListener('frame', (e) => draw(JSON.parse(e.data)));
</script>
</body>
</html>`;
}
