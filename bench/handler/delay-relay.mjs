// A TCP relay that puts network distance between the execution environments and the servers they use
// (PostgreSQL, S3, Redis): every byte is delivered one one-way delay after it arrived, in order, in
// both directions, and a new connection carries no data before one round trip has passed (the TCP
// handshake a real network would cost). Run by node in a process of its own (so its timers do not
// share an event loop with the driver or the environments); receives its settings on the IPC channel
// and answers with the port of each relay. Plain JavaScript, like the other processes the benchmark
// starts.
//
// Why a relay and not `tc netem`: this machine's kernel has no netem qdisc (CONFIG_NET_SCH_NETEM is
// off), and a relay needs neither root nor a network namespace, so the benchmark behaves the same
// everywhere. Its cost: Node's timers fire on whole milliseconds and late, so each direction takes at
// least one tick: 1 ms each way measures about 2.5 ms per round trip on this machine. The benchmark
// measures the round trip through the relay and prints what it measured.
import net from "node:net";

/** A FIFO of chunks, each written to `to` once its time has come. */
function delayedPipe(from, to, oneWayMs, notBefore) {
  const queue = [];
  let timer;
  let ended = false;
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now) {
      const { chunk } = queue.shift();
      if (!to.destroyed) to.write(chunk);
    }
    if (queue.length > 0) schedule();
    else if (ended && !to.destroyed) to.end();
  };
  const schedule = () => {
    if (timer !== undefined || queue.length === 0) return;
    timer = setTimeout(flush, Math.max(0, queue[0].due - performance.now()));
  };
  from.on("data", (chunk) => {
    queue.push({ chunk, due: Math.max(performance.now() + oneWayMs, notBefore) });
    schedule();
  });
  from.on("end", () => {
    ended = true;
    if (queue.length === 0 && timer === undefined && !to.destroyed) to.end();
  });
  const close = () => {
    if (timer !== undefined) clearTimeout(timer);
    queue.length = 0;
    to.destroy();
  };
  from.on("error", close);
  from.on("close", (hadError) => {
    if (hadError) close();
  });
}

async function startRelay(target, oneWayMs) {
  const server = net.createServer((client) => {
    const acceptedAt = performance.now();
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    // The client's first bytes would have left one round trip later on a real network (SYN, SYN-ACK).
    delayedPipe(client, upstream, oneWayMs, acceptedAt + 3 * oneWayMs);
    delayedPipe(upstream, client, oneWayMs, 0);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server.address().port;
}

process.once("message", async (settings) => {
  const ports = {};
  for (const target of settings.targets) ports[target.name] = await startRelay(target, settings.oneWayMs);
  process.send({ type: "ready", ports });
});
process.on("SIGTERM", () => process.exit(0));
