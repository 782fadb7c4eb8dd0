// Load for bench/realtime.sh: N SignalR connections (official JavaScript client) as seeded users,
// all in one group conversation and all watching one leaderboard. Then K messages are sent, one
// every PACE ms, and a gift storm runs; each receipt's delay from the event's own server time is
// recorded. Prints one JSON line of figures. Bounded: every wait ends by itself.
import * as signalR from "@microsoft/signalr";
import { readFileSync } from "node:fs";

const [base, usersFile, conversationId] = [process.env.BASE_URL, process.env.USERS_FILE, process.env.CONVERSATION_ID];
const messages = Number(process.env.MESSAGES ?? 20), pace = Number(process.env.PACE ?? 250);
const users = readFileSync(usersFile, "utf8").trim().split("\n").map((l) => { const [id, token] = l.split(" "); return { id, token }; });
const delays = { message: [], leaderboard: [] };
let received = 0;

const connections = [];
for (let i = 0; i < users.length; i += 100) {
  await Promise.all(users.slice(i, i + 100).map(async (u) => {
    const c = new signalR.HubConnectionBuilder()
      .withUrl(`${base}/hubs/realtime`, { accessTokenFactory: () => u.token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .configureLogging(signalR.LogLevel.Error).build();
    c.on("event", (e) => {
      const delay = Date.now() - Date.parse(e.at);
      if (e.type === "message.created") { delays.message.push(delay); received++; }
      if (e.type === "leaderboard.changed") { delays.leaderboard.push(delay); }
    });
    await c.start();
    await c.invoke("WatchLeaderboard", "day", "receivers");
    connections.push(c);
  }));
}
console.error(`connected ${connections.length}`);
if (process.env.CONNECTED_FILE) { (await import("node:fs")).writeFileSync(process.env.CONNECTED_FILE, "1"); }
await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS ?? 3000))); // the storm script starts now

const sender = connections[0];
const started = Date.now();
for (let i = 0; i < messages; i++) {
  await sender.invoke("SendMessage", conversationId, `bench-${started}-${i}`, `message ${i}`);
  await new Promise((r) => setTimeout(r, pace));
}
const expected = messages * connections.length;
const deadline = Date.now() + 30000;
while (received < expected && Date.now() < deadline) { await new Promise((r) => setTimeout(r, 50)); }
const elapsed = (Date.now() - started) / 1000;

const pct = (xs, p) => { if (!xs.length) return null; const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
console.log(JSON.stringify({
  connections: connections.length, messages, delivered: received, expected, deliveredPerSecond: Math.round(received / elapsed),
  messageP50: pct(delays.message, 0.5), messageP99: pct(delays.message, 0.99), messageMax: pct(delays.message, 1),
  leaderboardUpdates: delays.leaderboard.length, leaderboardP50: pct(delays.leaderboard, 0.5), leaderboardP99: pct(delays.leaderboard, 0.99),
}));
await Promise.all(connections.map((c) => c.stop()));
process.exit(0);
