import "server-only";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { getSandbox } from "@/lib/aws/clients";
import { AppError } from "@/lib/errors";
import { type Sandbox, SCENARIO_EVENTS, type ScenarioEventName, SEEDED_FUNCTIONS } from "@/lib/sandbox";
import { LOGS_QUERY_FAILURES, type LogsQueryFailure } from "@/lib/sandbox/faults";

/** Admin-only controls of the simulated AWS: code-level fixes as scenario events, and faults on demand. */

export interface SandboxStatusDto {
  seed: string;
  scenario: string;
  now: string;
  faults: {
    throttleRate: number;
    errorRate: number;
    addedLatencyMs: number;
    stuckUpdates: boolean;
    logsQueryFailure: LogsQueryFailure;
  };
  functions: string[];
  events: {
    name: ScenarioEventName;
    title: string;
    description: string;
    appliedTo: { functionName: string; at: string }[];
  }[];
}

async function requireSandbox(): Promise<Sandbox> {
  const sandbox = await getSandbox();
  if (!sandbox) {
    throw new AppError("NOT_FOUND", {
      userMessage: "Sandbox controls exist only in sandbox mode; this Phoenix talks to real AWS.",
    });
  }
  return sandbox;
}

const eventNames = Object.keys(SCENARIO_EVENTS) as [ScenarioEventName, ...ScenarioEventName[]];

export async function getSandboxStatus(): Promise<SandboxStatusDto> {
  await requireRole("admin");
  const sandbox = await requireSandbox();
  const history = await sandbox.history();
  const { throttleRate, errorRate, addedLatencyMs, stuckUpdates, logsQueryFailure } = sandbox.faults.current;
  return {
    seed: sandbox.seed,
    scenario: sandbox.scenario,
    now: sandbox.clock.now().toISOString(),
    faults: { throttleRate, errorRate, addedLatencyMs, stuckUpdates, logsQueryFailure },
    functions: SEEDED_FUNCTIONS.map((fn) => fn.name),
    events: eventNames.map((name) => ({
      name,
      title: SCENARIO_EVENTS[name].title,
      description: SCENARIO_EVENTS[name].description,
      appliedTo: history
        .filter((entry) => entry.action === `ScenarioEvent:${name}`)
        .map((entry) => ({
          functionName: entry.resource.split(":").at(-1) ?? entry.resource,
          at: new Date(entry.at).toISOString(),
        })),
    })),
  };
}

/** The sandbox answers in AWS's terms (ResourceConflictException…); say it in plain words. */
function explainSandboxError(error: unknown): never {
  if (error instanceof AppError) throw error;
  const named = error as { code?: string; message?: string };
  if (named.code === "ResourceNotFoundException") {
    throw new AppError("NOT_FOUND", { userMessage: named.message ?? "No such function", cause: error });
  }
  if (named.code === "ResourceConflictException") {
    throw new AppError("CONFLICT", {
      userMessage: "The function is still applying a previous change. Wait a few seconds and try again.",
      cause: error,
    });
  }
  throw error;
}

export const applyScenarioEventAction = defineAction({
  name: "sandbox.apply-scenario-event",
  role: "admin",
  description: "Apply a code-level fix in the sandbox",
  input: z.object({
    event: z.enum(eventNames, { error: `Event must be one of ${eventNames.join(", ")}` }),
    functionName: z.string().trim().min(1, "Choose a function").max(64, "Function names are at most 64 characters"),
  }),
  async run(input, context) {
    const sandbox = await requireSandbox();
    return context.change(
      {
        target: `function:${input.functionName}`,
        before: { event: input.event, title: SCENARIO_EVENTS[input.event].title },
      },
      async () => {
        try {
          return await sandbox.applyScenarioEvent(input.event, { functionName: input.functionName });
        } catch (error) {
          explainSandboxError(error);
        }
      },
    );
  },
});

const rate = z.coerce
  .number({ error: "Enter a number between 0 and 1" })
  .min(0, "Must be between 0 and 1")
  .max(1, "Must be between 0 and 1");

export const setSandboxFaultsAction = defineAction({
  name: "sandbox.set-faults",
  role: "admin",
  description: "Change the sandbox's injected faults",
  input: z.object({
    throttleRate: rate,
    errorRate: rate,
    addedLatencyMs: z.coerce
      .number({ error: "Enter milliseconds" })
      .int("Whole milliseconds only")
      .min(0, "Cannot be negative")
      .max(60_000, "At most 60,000 ms"),
    stuckUpdates: z
      .union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")])
      .default(false),
    logsQueryFailure: z.enum(LOGS_QUERY_FAILURES, { error: "Choose how Logs Insights queries end" }).default("none"),
  }),
  async run(input, context) {
    const sandbox = await requireSandbox();
    const { throttleRate, errorRate, addedLatencyMs, stuckUpdates, logsQueryFailure } = sandbox.faults.current;
    return context.change(
      {
        target: "sandbox:faults",
        before: { throttleRate, errorRate, addedLatencyMs, stuckUpdates, logsQueryFailure },
      },
      async () => {
        sandbox.setFaults(input);
        return input;
      },
    );
  },
});
