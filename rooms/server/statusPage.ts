// The page at / when the web client has not been built: proof the server is up,
// the open rooms, and how to get the game itself.

export function statusPage(webDist: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>roomservice</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #10141a; color: #e8edf2; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  code { background: #1f2630; padding: 0 .3rem; border-radius: 3px; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #2a3340; }
  .ok { color: #6ee7a0; }
</style>
</head>
<body>
<h1>roomservice <span class="ok">is up</span></h1>
<p>The Snek server is running. The web client is not built yet (no <code>${escapeHtml(webDist)}/index.html</code>);
run <code>npm run build</code> and reload to play.</p>
<h2>Open rooms</h2>
<table><thead><tr><th>Room</th><th>Players</th></tr></thead><tbody id="rooms"><tr><td colspan="2">loading…</td></tr></tbody></table>
<p><a href="/metrics">metrics</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a></p>
<script>
  async function refresh() {
    const body = document.getElementById("rooms");
    try {
      const rooms = await (await fetch("/api/rooms")).json();
      body.replaceChildren(...(rooms.length ? rooms.map((r) => {
        const tr = document.createElement("tr");
        for (const text of [r.roomId, r.clients + " / " + r.maxClients]) {
          const td = document.createElement("td"); td.textContent = text; tr.append(td);
        }
        return tr;
      }) : [Object.assign(document.createElement("tr"), { innerHTML: "<td colspan=2>no open rooms</td>" })]));
    } catch (e) {
      body.replaceChildren(Object.assign(document.createElement("tr"), { textContent: "could not load rooms: " + e }));
    }
  }
  refresh(); setInterval(refresh, 2000);
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
