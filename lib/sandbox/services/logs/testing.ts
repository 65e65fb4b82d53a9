import { GetQueryResultsCommand, type GetQueryResultsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import type { SandboxHarness } from "../../testing";

/**
 * Test support: polls GetQueryResults until the Logs Insights query has ended (Complete, Failed,
 * Cancelled, Timeout), yielding one event-loop turn between polls — the sandbox runs queries on later
 * turns, so no waiting on time is needed.
 */
export async function queryResultsWhenEnded(
  harness: Pick<SandboxHarness, "logs">,
  queryId: string | undefined,
): Promise<GetQueryResultsCommandOutput> {
  for (let poll = 0; poll < 1_000; poll++) {
    const results = await harness.logs.send(new GetQueryResultsCommand({ queryId }));
    if (results.status !== "Scheduled" && results.status !== "Running") return results;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`Logs Insights query ${queryId} never ended`);
}
