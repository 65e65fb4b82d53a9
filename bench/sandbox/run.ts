/**
 * Sandbox benchmark: prints GetMetricData timings (cold = fresh sandbox, nothing simulated yet; warm =
 * repeated call) in-process through the real SDK and at the core (no SDK parsing), and the standalone
 * server's throughput with 20 concurrent clients, with the machine's load average (other work on the
 * machine slows every figure). The first scenario's cold call is also the process's first: it pays the
 * JIT warm-up of the simulator; later scenarios' cold calls use fresh sandboxes in a warm process.
 * Run: npx tsx bench/sandbox/run.ts
 */

import os from "node:os";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { createSandbox, ManualClock, type Sandbox, SEEDED_FUNCTIONS, startSandboxServer } from "@/lib/sandbox";

const NOW = Date.parse("2025-07-22T14:30:00Z");
const DAY = 86_400_000;
const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "bench" };
const FUNCTIONS = SEEDED_FUNCTIONS.map((fn) => fn.name);

function percentileQueries(period: number): MetricDataQuery[] {
  return FUNCTIONS.flatMap((functionName, index) =>
    ["p50", "p90", "p99"].map((stat) => ({
      Id: `f${index}_${stat}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: "Duration",
          Dimensions: [{ Name: "FunctionName", Value: functionName }],
        },
        Period: period,
        Stat: stat,
      },
    })),
  );
}

function fiveHundredQueries(): MetricDataQuery[] {
  const metrics: [string, string][] = [
    ["Duration", "p50"],
    ["Duration", "p90"],
    ["Duration", "p99"],
    ["Duration", "Average"],
    ["Duration", "Maximum"],
    ["Invocations", "Sum"],
    ["Errors", "Sum"],
    ["Throttles", "Sum"],
    ["ConcurrentExecutions", "Maximum"],
    ["Duration", "tm90"],
  ];
  const queries: MetricDataQuery[] = [];
  for (let index = 0; queries.length < 500; index++) {
    const [metricName, stat] = metrics[index % metrics.length] as [string, string];
    const functionName = FUNCTIONS[Math.floor(index / metrics.length) % FUNCTIONS.length] as string;
    // Distinct periods make distinct series, so the 500 are not 60 queries repeated.
    const period = 60 * (1 + (Math.floor(index / (metrics.length * FUNCTIONS.length)) % 9));
    queries.push({
      Id: `q${index}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: metricName,
          Dimensions: [{ Name: "FunctionName", Value: functionName }],
        },
        Period: period,
        Stat: stat,
      },
    });
  }
  return queries;
}

function coreRequest(queries: MetricDataQuery[], startMs: number, endMs: number) {
  return {
    method: "POST",
    path: "/",
    query: {},
    headers: {
      "x-amz-target": "GraniteServiceVersion20100801.GetMetricData",
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-mode": "true",
    },
    body: new TextEncoder().encode(
      JSON.stringify({ MetricDataQueries: queries, StartTime: startMs / 1000, EndTime: endMs / 1000 }),
    ),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function format(ms: number): string {
  return `${ms.toFixed(1).padStart(8)} ms`;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

async function getMetricDataScenario(
  title: string,
  queries: MetricDataQuery[],
  startMs: number,
  endMs: number,
  warmRuns = 7,
): Promise<void> {
  const fresh = () => createSandbox({ clock: new ManualClock(NOW) });
  const client = (sandbox: Sandbox) =>
    new CloudWatchClient({ region: "us-east-1", credentials: CREDENTIALS, requestHandler: sandbox.requestHandler });

  // Through the SDK, in-process.
  const sandbox = fresh();
  await sandbox.region(); // seeding is not part of the query
  const cloudWatch = client(sandbox);
  const input = { MetricDataQueries: queries, StartTime: new Date(startMs), EndTime: new Date(endMs) };
  const [cold, first] = await timed(() => cloudWatch.send(new GetMetricDataCommand(input)));
  // More fresh sandboxes (the process is now warm): cold again, nothing simulated yet.
  const colds: number[] = [];
  for (let run = 0; run < 3; run++) {
    const another = fresh();
    await another.region();
    const anotherClient = client(another);
    colds.push((await timed(() => anotherClient.send(new GetMetricDataCommand(input))))[0]);
    anotherClient.destroy();
  }
  const warm: number[] = [];
  for (let run = 0; run < warmRuns; run++)
    warm.push((await timed(() => cloudWatch.send(new GetMetricDataCommand(input))))[0]);
  const points = (first.MetricDataResults ?? []).reduce((total, result) => total + (result.Values?.length ?? 0), 0);
  cloudWatch.destroy();

  // At the core: the sandbox's own time, without the SDK building Date objects.
  const coreSandbox = fresh();
  await coreSandbox.region();
  const request = coreRequest(queries, startMs, endMs);
  const [coreCold] = await timed(() => coreSandbox.handle(request));
  const coreWarm: number[] = [];
  for (let run = 0; run < warmRuns; run++) coreWarm.push((await timed(() => coreSandbox.handle(request)))[0]);

  console.log(`\n${title}`);
  console.log(
    `  ${queries.length} queries, ${points} data points${first.NextToken ? " (paginated: NextToken returned)" : ""}`,
  );
  console.log(
    `  SDK in-process   cold ${format(cold)}   warm median ${format(median(warm))}   (min ${format(Math.min(...warm))})`,
  );
  console.log(`  SDK, fresh sandboxes in the warm process: cold median ${format(median(colds))}`);
  console.log(
    `  core only        cold ${format(coreCold)}   warm median ${format(median(coreWarm))}   (min ${format(Math.min(...coreWarm))})`,
  );
}

async function throughput(title: string, send: () => Promise<unknown>, concurrency = 20, seconds = 5): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await send();
        latencies.push(performance.now() - started);
        completed++;
      }
    }),
  );
  console.log(
    `  ${title.padEnd(34)} ${(completed / seconds).toFixed(0).padStart(6)} req/s   p50 ${format(median(latencies))}   (${concurrency} concurrent clients, ${seconds} s)`,
  );
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
}

async function main(): Promise<void> {
  console.log(
    `Sandbox benchmark — Node ${process.version}, ${os.cpus().length} cores, clock fixed at ${new Date(NOW).toISOString()}`,
  );
  console.log(`Load average at start (1, 5, 15 min): ${loadAverage()}`);
  await getMetricDataScenario(
    "GetMetricData: p50/p90/p99 × 6 functions, 14 days, 5-minute period",
    percentileQueries(300),
    NOW - 14 * DAY,
    NOW,
  );
  await getMetricDataScenario(
    "GetMetricData: p50/p90/p99 × 6 functions, 24 hours, 1-minute period",
    percentileQueries(60),
    NOW - DAY,
    NOW,
  );
  await getMetricDataScenario(
    "GetMetricData: 500 queries in one call, 6 hours, periods 1–9 minutes",
    fiveHundredQueries(),
    NOW - 6 * 3_600_000,
    NOW,
    3,
  );

  console.log("\nStandalone server (HTTP on 127.0.0.1, real SDK clients, keep-alive)");
  const sandbox = createSandbox({ clock: new ManualClock(NOW) });
  const server = await startSandboxServer({ sandbox, port: 0 });
  const common = { region: "us-east-1", credentials: CREDENTIALS, endpoint: server.url };
  const clients = Array.from({ length: 20 }, () => ({
    lambda: new LambdaClient(common),
    cloudWatch: new CloudWatchClient(common),
  }));
  let next = 0;
  const pick = () => clients[next++ % clients.length] as (typeof clients)[number];
  const dashboardQuery = {
    MetricDataQueries: percentileQueries(300).slice(0, 3),
    StartTime: new Date(NOW - DAY),
    EndTime: new Date(NOW),
  };
  await pick().cloudWatch.send(new GetMetricDataCommand(dashboardQuery)); // warm the simulation once
  await throughput("ListFunctions", () => pick().lambda.send(new ListFunctionsCommand({})));
  await throughput("GetMetricData (3 × p, 24 h at 5 min)", () =>
    pick().cloudWatch.send(new GetMetricDataCommand(dashboardQuery)),
  );
  for (const client of clients) {
    client.lambda.destroy();
    client.cloudWatch.destroy();
  }
  await server.close();
  console.log(`\nLoad average at end (1, 5, 15 min): ${loadAverage()}`);
}

await main();
