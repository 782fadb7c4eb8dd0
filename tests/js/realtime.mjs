// Connects to the hub with the official JavaScript client: send, receive, reconnect, resume.
// Prints one JSON line per step for the xunit test that starts the service and runs this script.
import * as signalR from "@microsoft/signalr";

const [url, token, conversationId] = [process.env.HUB_URL, process.env.ACCESS_TOKEN, process.env.CONVERSATION_ID];
const print = (step, value) => console.log(JSON.stringify({ step, value }));
const bounded = (promise, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15000)),
]);

function connect(events) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on("event", (e) => events.push(e));
  return connection;
}

function waitFor(events, match, what) {
  return bounded(new Promise((resolve) => {
    const check = () => { const found = events.find(match); found ? resolve(found) : setTimeout(check, 10); };
    check();
  }), what);
}

const live = [];
const first = connect(live);
await first.start();
const sent = await first.invoke("SendMessage", conversationId, "js-1", "hello from <js> ✓");
print("sent", sent);
const created = await waitFor(live, (e) => e.type === "message.created" && e.data.id === sent.id, "message.created");
print("received", created);
await first.stop();

const replayed = [];
const second = connect(replayed);
await second.start();
const resumed = await second.invoke("Resume", created.seq - 1);
await waitFor(replayed, (e) => e.seq === created.seq, "the replayed event");
print("resumed", { result: resumed, events: replayed.filter((e) => e.seq !== null) });
try {
  await second.invoke("SendMessage", "00000000-0000-0000-0000-000000000000", "js-2", "nobody");
} catch (e) {
  print("refused", e.message);
}

await second.stop();
