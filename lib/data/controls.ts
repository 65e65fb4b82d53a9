import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { type ActionContext, defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { listAliases, listFunctions, listProvisionedConcurrency } from "@/lib/aws/lambda";
import {
  deleteProvisionedConcurrency,
  findAlias,
  getAlias,
  getFunctionState,
  getProvisionedConcurrency,
  publishVersion,
  putProvisionedConcurrency,
  updateAlias,
  updateFunctionConfiguration,
} from "@/lib/aws/lambda-changes";
import {
  deleteScheduledAction,
  putScheduledAction,
  registerScalableTarget,
  type ScheduledActionInfo,
} from "@/lib/aws/pc-schedules";
import { getDb } from "@/lib/db";
import { costPerMillion, formatDollars } from "@/lib/domain/cost";
import { estimateMemory } from "@/lib/domain/memory";
import {
  type ConfigurationChangeInput,
  configurationChangeSchema,
  jobReferenceSchema,
  runtimeUpgradeSchema,
} from "@/lib/domain/memory-input";
import type { Guard } from "@/lib/domain/pc-guards";
import type { ScheduleActionSpec } from "@/lib/domain/pc-heatmap";
import { RUNTIMES, runtimeStatus } from "@/lib/domain/runtimes";
import { describeSchedule, nextFirings, parseSchedule } from "@/lib/domain/schedule";
import {
  actionFingerprint,
  applyTemplateSchema,
  deleteScheduledActionSchema,
  functionNameSchema,
  publishAndRepointSchema,
  removePcSchema,
  type ScheduledActionInput,
  scheduledActionInputSchema,
  staticPcSchema,
} from "@/lib/domain/schedule-input";
import { scheduleTemplate, type TemplateStage } from "@/lib/domain/schedule-template";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs";
import {
  APPLY_CONFIGURATION_JOB,
  type ApplyConfigurationInput,
  FOLLOW_PC_JOB,
  RUNTIME_UPGRADE_JOB,
  type RuntimeUpgradeJobInput,
  type RuntimeUpgradeResult,
} from "@/lib/jobs/handlers/controls";
import { findJob } from "@/lib/jobs/job-store";
import { type ControlsDeps, controlsDeps } from "./controls-deps";
import {
  type ConcurrencyViewDto,
  describeCostChange,
  estimateFor,
  fetchConcurrencyView,
  fetchObserved,
  fetchPcContext,
  guardsFor,
  type PcContext,
  peakOf,
  toSpec,
} from "./controls-fetchers";

/**
 * Controls for provisioned concurrency, memory and runtime: authorized reads, previews (what will
 * change, the AWS calls, the cost) and the registered actions that change AWS — each validated,
 * role-checked and audited by runAction, with every AWS side effect inside `context.change`.
 */

export type { ConcurrencyViewDto } from "./controls-fetchers";

// =============================================================================================
// Reads

function checkName(name: string): string {
  const parsed = functionNameSchema.safeParse(name);
  if (!parsed.success)
    throw new AppError("NOT_FOUND", { userMessage: `There is no function called “${name.slice(0, 64)}”.` });
  return parsed.data;
}

export async function getConcurrencyView(name: string, alias?: string): Promise<ConcurrencyViewDto> {
  await requireRole("viewer");
  const functionName = checkName(name);
  const aliasName = alias && /^[A-Za-z0-9_-]{1,128}$/.test(alias) ? alias : undefined;
  return fetchConcurrencyView(await controlsDeps(), functionName, aliasName);
}

export interface ConfigurationViewDto {
  functionName: string;
  revisionId: string;
  memoryMb: number;
  runtime: string;
  architecture: string;
  lastUpdateStatus: string;
  snapStart: boolean;
  aliases: { name: string; version: string; revisionId: string; pc: string | null }[];
  defaultAlias: string | null;
  averageDurationMs: number | null;
  runtimes: {
    id: string;
    label: string;
    state: string;
    explanation: string;
    snapStart: boolean;
    blocked: boolean;
  }[];
  nowMs: number;
}

function runtimeOptions(nowMs: number): ConfigurationViewDto["runtimes"] {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return RUNTIMES.map((runtime) => {
    const status = runtimeStatus(runtime.id, nowMs);
    const blocked = runtime.blockUpdateOn !== undefined && runtime.blockUpdateOn <= today;
    return {
      id: runtime.id,
      label: runtime.label,
      state: status.state,
      explanation: `${status.explanation}${runtime.blockUpdateOn ? ` Updates blocked from ${runtime.blockUpdateOn}.` : ""}`,
      snapStart: runtime.snapStart ?? false,
      blocked,
    };
  });
}

export async function getConfigurationView(name: string): Promise<ConfigurationViewDto> {
  await requireRole("viewer");
  const functionName = checkName(name);
  const deps = await controlsDeps();
  const fn = await getFunctionState(deps.lambda, functionName);
  const [aliases, pcs] = await Promise.all([
    listAliases(deps.lambda, functionName),
    listProvisionedConcurrency(deps.lambda, functionName),
  ]);
  const detailed = await Promise.all(aliases.map((alias) => getAlias(deps.lambda, functionName, alias.name)));
  const pcByQualifier = new Map(pcs.map((pc) => [pc.qualifier, pc]));
  let averageDurationMs: number | null = null;
  try {
    const points = await fetchObserved(deps, functionName);
    const weighted = points.reduce(
      (sum, point) => (point.averageDurationMs !== null ? sum + point.averageDurationMs * point.invocations : sum),
      0,
    );
    const count = points.reduce((sum, point) => (point.averageDurationMs !== null ? sum + point.invocations : sum), 0);
    averageDurationMs = count > 0 ? weighted / count : null;
  } catch {
    averageDurationMs = null;
  }
  const withPc = detailed.find((alias) => pcByQualifier.has(alias.name));
  return {
    functionName,
    revisionId: fn.revisionId,
    memoryMb: fn.memoryMb,
    runtime: fn.runtime,
    architecture: fn.architecture,
    lastUpdateStatus: fn.lastUpdateStatus,
    snapStart: fn.snapStart,
    aliases: detailed.map((alias) => {
      const pc = pcByQualifier.get(alias.name);
      return {
        name: alias.name,
        version: alias.functionVersion,
        revisionId: alias.revisionId,
        pc: pc ? `${pc.requested} requested, ${pc.allocated} allocated, ${pc.status}` : null,
      };
    }),
    defaultAlias: withPc?.name ?? detailed[0]?.name ?? null,
    averageDurationMs,
    runtimes: runtimeOptions(deps.nowMs()),
    nowMs: deps.nowMs(),
  };
}

export interface UpgradeCandidateDto {
  name: string;
  runtime: string;
  runtimeLabel: string;
  state: string;
  explanation: string;
  revisionId: string;
  memoryMb: number;
}

export async function getRuntimeUpgradeView(): Promise<{
  functions: UpgradeCandidateDto[];
  runtimes: ConfigurationViewDto["runtimes"];
}> {
  await requireRole("viewer");
  const deps = await controlsDeps();
  const { functions } = await listFunctions(deps.lambda);
  // ListFunctions has no RevisionId worth trusting for updates: read each function's current one.
  const states = await Promise.all(functions.map((fn) => getFunctionState(deps.lambda, fn.name)));
  const nowMs = deps.nowMs();
  return {
    functions: states.map((fn) => {
      const status = runtimeStatus(fn.runtime, nowMs);
      return {
        name: fn.name,
        runtime: fn.runtime,
        runtimeLabel: status.label,
        state: status.state,
        explanation: status.explanation,
        revisionId: fn.revisionId,
        memoryMb: fn.memoryMb,
      };
    }),
    runtimes: runtimeOptions(nowMs),
  };
}

// =============================================================================================
// Previews: read-only, operator-only, the same validation as the actions

export interface PreviewDto {
  title: string;
  diff: { label: string; before: string; after: string }[];
  calls: string[];
  cost: string | null;
  notes: string[];
  guards: Guard[];
  blocked: boolean;
  /** Fingerprint of the validated input: the confirm step must submit exactly what was previewed. */
  token: string;
}

export type PreviewResult =
  | { ok: true; preview: PreviewDto }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

export function previewToken(input: unknown): string {
  return createHash("sha256").update(JSON.stringify(input)).digest("base64url").slice(0, 22);
}

async function preview<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  build: (input: z.output<S>, deps: ControlsDeps) => Promise<Omit<PreviewDto, "token" | "blocked">>,
): Promise<PreviewResult> {
  await requireRole("operator");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const error = AppError.from(parsed.error);
    return {
      ok: false,
      message: "Please correct the fields marked below.",
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  try {
    const built = await build(parsed.data, await controlsDeps());
    return {
      ok: true,
      preview: {
        ...built,
        blocked: built.guards.some((guard) => guard.level === "block"),
        token: previewToken(parsed.data),
      },
    };
  } catch (error) {
    const appError = AppError.from(error);
    return {
      ok: false,
      message: appError.userMessage,
      ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
    };
  }
}

function capacityText(action: { minCapacity?: number; maxCapacity?: number } | undefined): string {
  if (!action) return "—";
  return `min ${action.minCapacity ?? "unchanged"}, max ${action.maxCapacity ?? "unchanged"}`;
}

function actionText(action: ScheduledActionInfo | ScheduleActionSpec | undefined): string {
  if (!action) return "(none)";
  const parsed = parseSchedule(action.schedule);
  const words = parsed.ok ? describeSchedule(parsed.schedule, action.timeZone ?? "UTC") : action.schedule;
  return `${action.schedule} — ${words}; ${capacityText(action)}`;
}

async function costChange(
  deps: ControlsDeps,
  context: PcContext,
  after: { target: { minCapacity: number; maxCapacity: number } | null; actions: ScheduleActionSpec[]; level?: number },
): Promise<string | null> {
  try {
    const points = await fetchObserved(deps, context.fn.name);
    const common = {
      nowMs: deps.nowMs(),
      points,
      fn: context.fn,
      timeZone: after.actions[0]?.timeZone ?? "America/New_York",
    };
    const before = estimateFor({
      ...common,
      target: context.target,
      actions: context.actions.map(toSpec),
      currentLevel: context.pc?.requested ?? 0,
    });
    const next = estimateFor({
      ...common,
      target: after.target,
      actions: after.actions,
      currentLevel: after.level ?? context.pc?.requested ?? 0,
    });
    return `${describeCostChange(before.estimate.monthly.withPc, next.estimate.monthly.withPc)}; without any PC ${formatDollars(next.estimate.monthly.withoutPc)} a month (estimate from the last 14 days)`;
  } catch (error) {
    return `Cost estimate unavailable: ${AppError.from(error).userMessage}`;
  }
}

function upsertSpec(actions: ScheduleActionSpec[], next: ScheduleActionSpec): ScheduleActionSpec[] {
  return [...actions.filter((action) => action.name !== next.name), next];
}

/** What registering a missing target will use: a floor of 0 and room for the highest level in play. */
function defaultBounds(context: PcContext, levels: number[]): { minCapacity: number; maxCapacity: number } {
  return { minCapacity: 0, maxCapacity: Math.max(1, context.pc?.requested ?? 0, ...levels) };
}

function specOf(input: ScheduledActionInput, createdMs: number): ScheduleActionSpec {
  return {
    name: input.name,
    schedule: input.schedule,
    timeZone: input.timeZone,
    ...(input.minCapacity !== undefined ? { minCapacity: input.minCapacity } : {}),
    ...(input.maxCapacity !== undefined ? { maxCapacity: input.maxCapacity } : {}),
    ...(input.startTimeMs !== undefined ? { startTimeMs: input.startTimeMs } : {}),
    ...(input.endTimeMs !== undefined ? { endTimeMs: input.endTimeMs } : {}),
    createdMs,
  };
}

function checkExisting(
  context: PcContext,
  input: { name: string; operation?: "create" | "edit"; expectedFingerprint?: string },
) {
  const existing = context.actions.find((action) => action.name === input.name);
  if (input.operation === "create" && existing) {
    throw new AppError("CONFLICT", {
      userMessage: `A scheduled action called ${input.name} already exists on ${context.resourceId}. Edit it instead, or choose another name.`,
      fieldErrors: { name: [`${input.name} already exists: edit it instead`] },
    });
  }
  if (input.operation !== "create" && !existing) {
    throw new AppError("CONFLICT", {
      userMessage: `The scheduled action ${input.name} no longer exists (someone deleted it after you loaded the page). Reload.`,
    });
  }
  if (existing && input.expectedFingerprint && actionFingerprint(existing) !== input.expectedFingerprint) {
    throw new AppError("CONFLICT", {
      userMessage: `Someone changed the scheduled action ${input.name} after you loaded the page, so Phoenix did not overwrite it. Reload to see the current version.`,
    });
  }
  return existing;
}

function blockers(guards: Guard[]): void {
  const blocking = guards.filter((guard) => guard.level === "block");
  if (blocking.length > 0) {
    throw new AppError("INVALID_INPUT", { userMessage: blocking.map((guard) => guard.message).join(" ") });
  }
}

export function previewScheduledAction(raw: unknown): Promise<PreviewResult> {
  return preview(scheduledActionInputSchema, raw, async (input, deps) => {
    const context = await fetchPcContext(deps, input.functionName, input.alias);
    const existing = checkExisting(context, input);
    const nowMs = deps.nowMs();
    const spec = specOf(input, existing?.createdMs ?? nowMs);
    const actions = upsertSpec(context.actions.map(toSpec), spec);
    const target = context.target ?? defaultBounds(context, [input.minCapacity ?? 0, input.maxCapacity ?? 0]);
    const parsed = parseSchedule(input.schedule);
    const firings = parsed.ok
      ? nextFirings(
          parsed.schedule,
          {
            timeZone: input.timeZone,
            createdMs: spec.createdMs ?? nowMs,
            ...(input.startTimeMs !== undefined ? { startTimeMs: input.startTimeMs } : {}),
            ...(input.endTimeMs !== undefined ? { endTimeMs: input.endTimeMs } : {}),
          },
          nowMs,
          5,
        )
      : [];
    return {
      title: `${existing ? "Change" : "Create"} the scheduled action ${input.name} on ${context.resourceId}`,
      diff: [{ label: input.name, before: actionText(existing), after: actionText(spec) }],
      calls: [
        ...(context.target
          ? []
          : [
              `ApplicationAutoScaling.RegisterScalableTarget ${context.resourceId} (min ${target.minCapacity}, max ${target.maxCapacity}) — the target is not registered yet`,
            ]),
        `ApplicationAutoScaling.PutScheduledAction ${input.name}: ${input.schedule} in ${input.timeZone}, ${capacityText(input)}`,
      ],
      cost: await costChange(deps, context, { target, actions }),
      notes: [
        `Next firings: ${firings.map((ms) => new Date(ms).toISOString().replace("T", " ").slice(0, 16)).join(", ") || "none"} (UTC).`,
        ...(input.minCapacity === 0 && input.maxCapacity === 0
          ? [
              "A capacity of 0 removes the provisioned concurrency config when it fires (PutProvisionedConcurrencyConfig itself needs at least 1).",
            ]
          : []),
      ],
      guards: guardsFor(context, peakOf(target, actions), actions, nowMs),
    };
  });
}

export function previewDeleteScheduledAction(raw: unknown): Promise<PreviewResult> {
  return preview(deleteScheduledActionSchema, raw, async (input, deps) => {
    const context = await fetchPcContext(deps, input.functionName, input.alias);
    const existing = checkExisting(context, { ...input, operation: "edit" });
    const actions = context.actions.filter((action) => action.name !== input.name).map(toSpec);
    return {
      title: `Delete the scheduled action ${input.name} on ${context.resourceId}`,
      diff: [{ label: input.name, before: actionText(existing), after: "(deleted)" }],
      calls: [`ApplicationAutoScaling.DeleteScheduledAction ${input.name}`],
      cost: await costChange(deps, context, { target: context.target, actions }),
      notes: ["The provisioned concurrency stays at its current level until another action fires."],
      guards: [],
    };
  });
}

function templateSpecs(stage: TemplateStage, weekendZero: boolean, nowMs: number) {
  const template = scheduleTemplate(stage, weekendZero);
  return {
    template,
    specs: template.actions.map((action) => ({ ...action, createdMs: nowMs }) satisfies ScheduleActionSpec),
  };
}

export function previewTemplate(raw: unknown): Promise<PreviewResult> {
  return preview(applyTemplateSchema, raw, async (input, deps) => {
    const context = await fetchPcContext(deps, input.functionName, input.alias);
    const nowMs = deps.nowMs();
    const { template, specs } = templateSpecs(input.stage as TemplateStage, input.weekendZero, nowMs);
    let actions = context.actions.map(toSpec);
    for (const spec of specs) actions = upsertSpec(actions, spec);
    const others = context.actions.filter((action) => !specs.some((spec) => spec.name === action.name));
    return {
      title: `Apply the meeting's ${input.stage} schedule to ${context.resourceId}`,
      diff: [
        {
          label: "Scalable target",
          before: context.target
            ? `min ${context.target.minCapacity}, max ${context.target.maxCapacity}`
            : "(not registered)",
          after: `min ${template.registration.minCapacity}, max ${template.registration.maxCapacity}`,
        },
        ...specs.map((spec) => ({
          label: spec.name,
          before: actionText(context.actions.find((action) => action.name === spec.name)),
          after: actionText(spec),
        })),
      ],
      calls: [
        `ApplicationAutoScaling.RegisterScalableTarget ${context.resourceId} (min ${template.registration.minCapacity}, max ${template.registration.maxCapacity})`,
        ...specs.map(
          (spec) => `ApplicationAutoScaling.PutScheduledAction ${spec.name}: ${spec.schedule} in ${spec.timeZone}`,
        ),
      ],
      cost: await costChange(deps, context, { target: template.registration, actions }),
      notes: [
        input.weekendZero
          ? "Weekends at 0: the weekend action sets a scheduled capacity of 0, which removes the provisioned concurrency config (PutProvisionedConcurrencyConfig cannot set 0)."
          : `Weekends at ${template.configuredWeekendCapacity}, as configured in infra/config/pc-schedule.json.`,
        "Registering the target moves the current provisioned concurrency inside its bounds at once.",
        ...(others.length > 0
          ? [`Other actions stay as they are: ${others.map((action) => action.name).join(", ")}.`]
          : []),
      ],
      guards: guardsFor(context, peakOf(template.registration, actions), actions, nowMs),
    };
  });
}

export function previewStaticPc(raw: unknown): Promise<PreviewResult> {
  return preview(staticPcSchema, raw, async (input, deps) => {
    const context = await fetchPcContext(deps, input.functionName, input.alias);
    return {
      title: `Set provisioned concurrency on ${input.functionName}:${input.alias} to ${input.level}`,
      diff: [
        {
          label: "Provisioned concurrency",
          before: context.pc ? `${context.pc.requested} (${context.pc.status})` : "none",
          after: String(input.level),
        },
      ],
      calls: [
        `Lambda.PutProvisionedConcurrencyConfig ${input.functionName}:${input.alias} = ${input.level}`,
        "Lambda.GetProvisionedConcurrencyConfig until READY or FAILED (a job)",
      ],
      cost: await costChange(deps, context, { target: null, actions: [], level: input.level }),
      notes: [
        ...(context.target && context.actions.length > 0
          ? [
              `${context.resourceId} has ${context.actions.length} scheduled action(s): the next one to fire replaces this level.`,
            ]
          : []),
        "Allocation starts after a minute or two, then ramps up; the job shows it until READY.",
      ],
      guards: guardsFor(context, input.level, [], deps.nowMs()),
    };
  });
}

export function previewRemovePc(raw: unknown): Promise<PreviewResult> {
  return preview(removePcSchema, raw, async (input, deps) => {
    const context = await fetchPcContext(deps, input.functionName, input.alias);
    return {
      title: `Remove provisioned concurrency from ${input.functionName}:${input.alias}`,
      diff: [
        { label: "Provisioned concurrency", before: context.pc ? String(context.pc.requested) : "none", after: "none" },
      ],
      calls: [`Lambda.DeleteProvisionedConcurrencyConfig ${input.functionName}:${input.alias}`],
      cost: await costChange(deps, context, { target: null, actions: [], level: 0 }),
      notes: ["Invocations are served by on-demand environments: expect cold starts on bursts."],
      guards: [],
    };
  });
}

/** The $LATEST guard's way out: publish $LATEST and point the alias at the new version. */
export function previewPublishAndRepoint(raw: unknown): Promise<PreviewResult> {
  return preview(publishAndRepointSchema, raw, async (input, deps) => {
    const alias = await findAlias(deps.lambda, input.functionName, input.alias);
    if (!alias) {
      throw new AppError("INVALID_INPUT", {
        userMessage: `${input.functionName} has no alias called ${input.alias}.`,
        fieldErrors: { alias: [`No alias ${input.alias}`] },
      });
    }
    return {
      title: `Publish ${input.functionName} and point ${input.alias} at the new version`,
      diff: [{ label: `Alias ${input.alias}`, before: alias.functionVersion, after: "the version published now" }],
      calls: [
        `Lambda.PublishVersion ${input.functionName} (RevisionId ${input.revisionId.slice(0, 8)}…)`,
        `Lambda.UpdateAlias ${input.alias} → the new version`,
      ],
      cost: null,
      notes: [
        "The alias then serves an immutable version, which can carry provisioned concurrency; later changes to $LATEST reach it only when published and moved again.",
      ],
      guards: [],
    };
  });
}

export function previewConfiguration(raw: unknown): Promise<PreviewResult> {
  return preview(configurationChangeSchema, raw, async (input, deps) => {
    const fn = await getFunctionState(deps.lambda, input.functionName);
    const alias = input.alias ? await findAlias(deps.lambda, input.functionName, input.alias) : undefined;
    if (input.alias && !alias) {
      throw new AppError("INVALID_INPUT", {
        userMessage: `${input.functionName} has no alias called ${input.alias}.`,
        fieldErrors: { alias: [`${input.functionName} has no alias called ${input.alias}`] },
      });
    }
    checkConfigurationInput(input, fn, deps.nowMs());
    const memory = input.memoryMb ?? fn.memoryMb;
    const runtime = input.runtime ?? fn.runtime;
    let costLine: string | null = null;
    try {
      const points = await fetchObserved(deps, input.functionName);
      const weighted = points.reduce(
        (sum, p) => (p.averageDurationMs !== null ? sum + p.averageDurationMs * p.invocations : sum),
        0,
      );
      const count = points.reduce((sum, p) => (p.averageDurationMs !== null ? sum + p.invocations : sum), 0);
      if (count > 0) {
        const duration = weighted / count;
        const estimate = estimateMemory({
          currentMemoryMb: fn.memoryMb,
          currentDurationMs: duration,
          memoryMb: memory,
          architecture: fn.architecture,
        });
        costLine = `Per million invocations: ${formatDollars(costPerMillion(fn.memoryMb, duration, fn.architecture))} now → ${formatDollars(estimate.costPerMillionIfComputeBound)}–${formatDollars(estimate.costPerMillionIfUnchanged)} (between "duration scales with CPU" and "duration unchanged"; average duration ${Math.round(duration)} ms over 14 days)`;
      }
    } catch (error) {
      costLine = `Cost estimate unavailable: ${AppError.from(error).userMessage}`;
    }
    const pc = alias ? await getProvisionedConcurrency(deps.lambda, input.functionName, alias.name) : null;
    const target = runtimeStatus(runtime, deps.nowMs());
    const snapStartRuntime = RUNTIMES.find((candidate) => candidate.id === runtime)?.snapStart ?? false;
    return {
      title: `Change ${input.functionName}`,
      diff: [
        {
          label: "Memory",
          before: `${fn.memoryMb} MB (${(fn.memoryMb / 1769).toFixed(2)} vCPU)`,
          after: `${memory} MB (${(memory / 1769).toFixed(2)} vCPU)`,
        },
        { label: "Runtime", before: fn.runtime, after: runtime },
        ...(alias && input.publishAndMove
          ? [
              {
                label: `Alias ${alias.name}`,
                before: `version ${alias.functionVersion}`,
                after: "a new version with this configuration",
              },
            ]
          : []),
      ],
      calls: [
        `Lambda.UpdateFunctionConfiguration ${input.functionName} (RevisionId ${input.revisionId.slice(0, 8)}…)`,
        "Lambda.GetFunction until LastUpdateStatus is Successful",
        ...(alias && input.publishAndMove
          ? [
              "Lambda.PublishVersion (with the RevisionId after the update)",
              `Lambda.UpdateAlias ${alias.name} → the new version (RevisionId ${alias.revisionId.slice(0, 8)}…)`,
              ...(pc
                ? [
                    `Lambda.GetProvisionedConcurrencyConfig ${alias.name} until READY: PC (${pc.requested}) is re-provisioned on the new version`,
                  ]
                : []),
            ]
          : []),
      ],
      cost: costLine,
      notes: [
        `${target.label}: ${target.explanation}`,
        snapStartRuntime
          ? "This runtime supports SnapStart (not together with provisioned concurrency)."
          : "This runtime does not support SnapStart.",
        ...(alias && !input.publishAndMove
          ? [`Only $LATEST changes: the alias ${alias.name} keeps running version ${alias.functionVersion}.`]
          : []),
      ],
      guards: [],
    };
  });
}

export function previewRuntimeUpgrade(raw: unknown): Promise<PreviewResult> {
  return preview(runtimeUpgradeSchema, raw, async (input, deps) => {
    const today = new Date(deps.nowMs()).toISOString().slice(0, 10);
    checkTargetRuntime(input.targetRuntime, today, "targetRuntime");
    const states = await Promise.all(input.functions.map((fn) => getFunctionState(deps.lambda, fn.name)));
    return {
      title: `Upgrade ${input.functions.length} function(s) from ${input.fromRuntime} to ${input.targetRuntime}`,
      diff: states.map((fn) => ({ label: fn.name, before: fn.runtime, after: input.targetRuntime })),
      calls: [
        `Per function: Lambda.UpdateFunctionConfiguration (RevisionId as listed), Lambda.GetFunction until Successful${input.publishAndMove ? ", Lambda.PublishVersion, Lambda.UpdateAlias for the alias carrying PC (or the only alias)" : ""}`,
      ],
      cost: "No price change: Lambda charges the same for every runtime.",
      notes: [
        input.onFailure === "stop"
          ? "Stops at the first failure; the rest are not started."
          : "Continues after a failure and reports each function.",
      ],
      guards: [],
    };
  });
}

// =============================================================================================
// Actions

function checkTargetRuntime(runtime: string, today: string, field: string): void {
  const info = RUNTIMES.find((candidate) => candidate.id === runtime);
  if (info?.blockUpdateOn && info.blockUpdateOn <= today) {
    throw new AppError("INVALID_INPUT", {
      userMessage: `AWS no longer accepts updates to ${runtime} (blocked since ${info.blockUpdateOn}).`,
      fieldErrors: { [field]: [`${runtime} is blocked for updates since ${info.blockUpdateOn}`] },
    });
  }
}

function checkConfigurationInput(
  input: ConfigurationChangeInput,
  fn: { memoryMb: number; runtime: string },
  nowMs: number,
) {
  if ((input.memoryMb ?? fn.memoryMb) === fn.memoryMb && (input.runtime ?? fn.runtime) === fn.runtime) {
    throw new AppError("INVALID_INPUT", {
      userMessage: "Nothing to change: that is the current configuration.",
      fieldErrors: { memoryMb: [`${fn.memoryMb} MB and ${fn.runtime} are already the configuration`] },
    });
  }
  if (input.runtime && input.runtime !== fn.runtime)
    checkTargetRuntime(input.runtime, new Date(nowMs).toISOString().slice(0, 10), "runtime");
}

async function saveAction(
  context: ActionContext,
  deps: ControlsDeps,
  pc: PcContext,
  spec: ScheduleActionSpec,
  existing?: ScheduledActionInfo,
) {
  return context.change(
    { target: `${pc.resourceId}:scheduled-action/${spec.name}`, before: existing ?? null },
    async () => {
      const action = {
        name: spec.name,
        schedule: spec.schedule,
        ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
        ...(spec.minCapacity !== undefined ? { minCapacity: spec.minCapacity } : {}),
        ...(spec.maxCapacity !== undefined ? { maxCapacity: spec.maxCapacity } : {}),
        ...(spec.startTimeMs !== undefined ? { startTimeMs: spec.startTimeMs } : {}),
        ...(spec.endTimeMs !== undefined ? { endTimeMs: spec.endTimeMs } : {}),
      };
      await putScheduledAction(deps.autoScaling, pc.resourceId, action);
      return action;
    },
  );
}

async function register(
  context: ActionContext,
  deps: ControlsDeps,
  pc: PcContext,
  bounds: { minCapacity: number; maxCapacity: number },
) {
  await context.change({ target: pc.resourceId, before: pc.target ?? null }, async () => {
    await registerScalableTarget(deps.autoScaling, pc.resourceId, bounds);
    return bounds;
  });
}

export const putScheduledActionAction = defineAction({
  name: "controls.put-scheduled-action",
  role: "operator",
  description: "Create or change a provisioned-concurrency scheduled action",
  input: scheduledActionInputSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const pc = await fetchPcContext(deps, input.functionName, input.alias);
    const existing = checkExisting(pc, input);
    const spec = specOf(input, existing?.createdMs ?? deps.nowMs());
    const actions = upsertSpec(pc.actions.map(toSpec), spec);
    const bounds = pc.target ?? defaultBounds(pc, [input.minCapacity ?? 0, input.maxCapacity ?? 0]);
    blockers(guardsFor(pc, peakOf(bounds, actions), actions, deps.nowMs()));
    if (!pc.target) await register(context, deps, pc, bounds);
    return saveAction(context, deps, pc, spec, existing);
  },
});

export const deleteScheduledActionAction = defineAction({
  name: "controls.delete-scheduled-action",
  role: "operator",
  description: "Delete a provisioned-concurrency scheduled action",
  input: deleteScheduledActionSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const pc = await fetchPcContext(deps, input.functionName, input.alias);
    const existing = checkExisting(pc, { ...input, operation: "edit" });
    return context.change(
      { target: `${pc.resourceId}:scheduled-action/${input.name}`, before: existing ?? null },
      async () => {
        await deleteScheduledAction(deps.autoScaling, pc.resourceId, input.name);
        return { deleted: input.name };
      },
    );
  },
});

export const applyScheduleTemplateAction = defineAction({
  name: "controls.apply-schedule-template",
  role: "operator",
  description: "Apply the meeting's provisioned-concurrency schedule template",
  input: applyTemplateSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const pc = await fetchPcContext(deps, input.functionName, input.alias);
    const { template, specs } = templateSpecs(input.stage as TemplateStage, input.weekendZero, deps.nowMs());
    let actions = pc.actions.map(toSpec);
    for (const spec of specs) actions = upsertSpec(actions, spec);
    blockers(guardsFor(pc, peakOf(template.registration, actions), actions, deps.nowMs()));
    await register(context, deps, pc, template.registration);
    const saved = [];
    for (const spec of specs) {
      saved.push(
        await saveAction(
          context,
          deps,
          pc,
          spec,
          pc.actions.find((action) => action.name === spec.name),
        ),
      );
    }
    return { registration: template.registration, actions: saved.map((action) => action.name) };
  },
});

async function checkAliasRevision(deps: ControlsDeps, functionName: string, alias: string, expected?: string) {
  if (!expected) return;
  const current = await getAlias(deps.lambda, functionName, alias);
  if (current.revisionId !== expected) {
    throw new AppError("CONFLICT", {
      userMessage: `Someone else changed the alias ${alias} (it now points to version ${current.functionVersion}) after you loaded the page. Reload to see it, then decide again.`,
    });
  }
}

export const setProvisionedConcurrencyAction = defineAction({
  name: "controls.set-provisioned-concurrency",
  role: "operator",
  description: "Set provisioned concurrency on an alias",
  input: staticPcSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const pc = await fetchPcContext(deps, input.functionName, input.alias);
    await checkAliasRevision(deps, input.functionName, input.alias, input.aliasRevisionId);
    blockers(guardsFor(pc, input.level, [], deps.nowMs()));
    const after = await context.change(
      {
        target: `function:${input.functionName}:${input.alias}`,
        before: pc.pc ? { provisionedConcurrency: pc.pc.requested } : { provisionedConcurrency: 0 },
      },
      async () => {
        const state = await putProvisionedConcurrency(deps.lambda, input.functionName, input.alias, input.level);
        return { provisionedConcurrency: state.requested, status: state.status };
      },
    );
    const job = await enqueueJob({
      kind: FOLLOW_PC_JOB,
      target: `function:${input.functionName}:${input.alias}`,
      input: { functionName: input.functionName, qualifier: input.alias, requested: input.level },
      requestedBy: context.actor.username,
      requestedRole: context.actor.role,
      requestId: context.requestId,
    });
    return { ...after, jobId: job.id };
  },
});

export const removeProvisionedConcurrencyAction = defineAction({
  name: "controls.remove-provisioned-concurrency",
  role: "operator",
  description: "Remove provisioned concurrency from an alias",
  input: removePcSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const pc = await fetchPcContext(deps, input.functionName, input.alias);
    await checkAliasRevision(deps, input.functionName, input.alias, input.aliasRevisionId);
    return context.change(
      {
        target: `function:${input.functionName}:${input.alias}`,
        before: { provisionedConcurrency: pc.pc?.requested ?? 0 },
      },
      async () => {
        await deleteProvisionedConcurrency(deps.lambda, input.functionName, input.alias);
        return { provisionedConcurrency: 0 };
      },
    );
  },
});

export const publishAndRepointAction = defineAction({
  name: "controls.publish-and-repoint",
  role: "operator",
  description: "Publish $LATEST as a version and point an alias at it",
  input: publishAndRepointSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const alias = await findAlias(deps.lambda, input.functionName, input.alias);
    if (!alias) {
      throw new AppError("INVALID_INPUT", {
        userMessage: `${input.functionName} has no alias called ${input.alias}.`,
        fieldErrors: { alias: [`No alias ${input.alias}`] },
      });
    }
    await checkAliasRevision(deps, input.functionName, input.alias, input.aliasRevisionId);
    const published = await context.change(
      { target: `function:${input.functionName}`, before: { revisionId: input.revisionId } },
      async () => {
        const version = await publishVersion(deps.lambda, input.functionName, {
          revisionId: input.revisionId,
          description: `Published by Phoenix for ${input.alias}`,
        });
        return { version: version.version };
      },
    );
    return context.change(
      { target: `function:${input.functionName}:${input.alias}`, before: { functionVersion: alias.functionVersion } },
      async () => {
        const moved = await updateAlias(deps.lambda, input.functionName, input.alias, {
          functionVersion: published.version,
          revisionId: alias.revisionId,
        });
        return { functionVersion: moved.functionVersion };
      },
    );
  },
});

export const applyConfigurationAction = defineAction({
  name: "controls.apply-configuration",
  role: "operator",
  description: "Change memory or runtime (then publish and move the alias)",
  input: configurationChangeSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    const fn = await getFunctionState(deps.lambda, input.functionName);
    const alias = input.alias ? await findAlias(deps.lambda, input.functionName, input.alias) : undefined;
    if (input.alias && !alias) {
      throw new AppError("INVALID_INPUT", {
        userMessage: `${input.functionName} has no alias called ${input.alias}.`,
        fieldErrors: { alias: [`${input.functionName} has no alias called ${input.alias}`] },
      });
    }
    checkConfigurationInput(input, fn, deps.nowMs());
    const change = { memoryMb: input.memoryMb ?? fn.memoryMb, runtime: input.runtime ?? fn.runtime };
    await context.change(
      {
        target: `function:${input.functionName}`,
        before: { memoryMb: fn.memoryMb, runtime: fn.runtime, revisionId: input.revisionId },
      },
      async () => {
        const updated = await updateFunctionConfiguration(deps.lambda, input.functionName, {
          ...(input.memoryMb !== undefined ? { memoryMb: input.memoryMb } : {}),
          ...(input.runtime !== undefined ? { runtime: input.runtime } : {}),
          revisionId: input.revisionId,
        });
        return { memoryMb: updated.memoryMb, runtime: updated.runtime, lastUpdateStatus: updated.lastUpdateStatus };
      },
    );
    const jobInput: ApplyConfigurationInput = {
      functionName: input.functionName,
      ...(alias ? { alias: alias.name } : {}),
      publishAndMove: input.publishAndMove && alias !== undefined,
      ...(input.aliasRevisionId ? { expectedAliasRevisionId: input.aliasRevisionId } : {}),
      description: `Phoenix: ${change.memoryMb} MB, ${change.runtime}`,
      before: { memoryMb: fn.memoryMb, runtime: fn.runtime, ...(alias ? { aliasVersion: alias.functionVersion } : {}) },
      after: change,
    };
    const job = await enqueueJob({
      kind: APPLY_CONFIGURATION_JOB,
      target: `function:${input.functionName}`,
      input: jobInput,
      requestedBy: context.actor.username,
      requestedRole: context.actor.role,
      requestId: context.requestId,
    });
    return { jobId: job.id, ...change };
  },
});

async function loadControlsJob(jobId: string, kinds: string[]) {
  const row = await findJob(await getDb(), jobId);
  if (!row || !kinds.includes(row.kind))
    throw new AppError("NOT_FOUND", { userMessage: "No such job of the controls." });
  if (row.status === "queued" || row.status === "running") {
    throw new AppError("CONFLICT", {
      userMessage: "The job is still running; wait for it to end (or cancel it) first.",
    });
  }
  return { row, input: JSON.parse(row.input) as unknown, state: JSON.parse(row.state) as Record<string, unknown> };
}

function enqueueFor(context: ActionContext, kind: string, target: string | null, input: unknown) {
  return enqueueJob({
    kind,
    ...(target ? { target } : {}),
    input,
    requestedBy: context.actor.username,
    requestedRole: context.actor.role,
    requestId: context.requestId,
  });
}

export const retryControlsJobAction = defineAction({
  name: "controls.retry-job",
  role: "operator",
  description: "Retry a failed configuration change or runtime upgrade from where it stopped",
  input: jobReferenceSchema,
  async run(input, context) {
    const {
      row,
      input: jobInput,
      state,
    } = await loadControlsJob(input.jobId, [APPLY_CONFIGURATION_JOB, RUNTIME_UPGRADE_JOB, FOLLOW_PC_JOB]);
    if (row.status === "succeeded")
      throw new AppError("CONFLICT", { userMessage: "The job succeeded; there is nothing to retry." });
    let next = jobInput;
    if (row.kind === RUNTIME_UPGRADE_JOB) {
      const results = (state.results ?? []) as RuntimeUpgradeResult[];
      const original = jobInput as RuntimeUpgradeJobInput;
      next = {
        ...original,
        items: original.items.filter(
          (_, index) => results[index]?.status !== "done" && results[index]?.status !== "skipped",
        ),
      };
    }
    const job = await context.change({ target: row.target ?? `job:${row.id}`, before: { retryOf: row.id } }, () =>
      enqueueFor(context, row.kind, row.target, next).then((created) => ({ jobId: created.id })),
    );
    return job;
  },
});

export const rollbackConfigurationAction = defineAction({
  name: "controls.rollback-configuration",
  role: "operator",
  description: "Roll back a memory or runtime change (restore $LATEST and move the alias back)",
  input: jobReferenceSchema,
  async run(input, context) {
    const { row, input: raw, state } = await loadControlsJob(input.jobId, [APPLY_CONFIGURATION_JOB]);
    const jobInput = raw as ApplyConfigurationInput;
    const deps = await controlsDeps();
    const name = jobInput.functionName;
    const fn = await getFunctionState(deps.lambda, name);
    if (fn.memoryMb !== jobInput.before.memoryMb || fn.runtime !== jobInput.before.runtime) {
      await context.change(
        {
          target: `function:${name}`,
          before: { memoryMb: fn.memoryMb, runtime: fn.runtime, revisionId: fn.revisionId },
        },
        async () => {
          const updated = await updateFunctionConfiguration(deps.lambda, name, {
            memoryMb: jobInput.before.memoryMb,
            runtime: jobInput.before.runtime,
            revisionId: fn.revisionId,
          });
          return { memoryMb: updated.memoryMb, runtime: updated.runtime };
        },
      );
    }
    const previousVersion = (state.previousVersion as string | undefined) ?? jobInput.before.aliasVersion;
    const rollback: ApplyConfigurationInput = {
      functionName: name,
      ...(jobInput.alias ? { alias: jobInput.alias } : {}),
      publishAndMove: Boolean(jobInput.alias && previousVersion),
      ...(previousVersion ? { targetVersion: previousVersion } : {}),
      description: `Rollback of job ${row.id}`,
      before: { memoryMb: jobInput.after.memoryMb, runtime: jobInput.after.runtime },
      after: { memoryMb: jobInput.before.memoryMb, runtime: jobInput.before.runtime },
    };
    const job = await enqueueFor(context, APPLY_CONFIGURATION_JOB, row.target, rollback);
    return { jobId: job.id, restored: rollback.after, aliasVersion: previousVersion ?? null };
  },
});

export const startRuntimeUpgradeAction = defineAction({
  name: "controls.start-runtime-upgrade",
  role: "operator",
  description: "Upgrade the runtime of several functions (bulk, as a job)",
  input: runtimeUpgradeSchema,
  async run(input, context) {
    const deps = await controlsDeps();
    checkTargetRuntime(input.targetRuntime, new Date(deps.nowMs()).toISOString().slice(0, 10), "targetRuntime");
    const jobInput: RuntimeUpgradeJobInput = {
      mode: "upgrade",
      onFailure: input.onFailure,
      publishAndMove: input.publishAndMove,
      items: input.functions.map((fn) => ({ name: fn.name, runtime: input.targetRuntime, revisionId: fn.revisionId })),
    };
    const job = await context.change(
      {
        target: `runtime-upgrade:${input.fromRuntime}->${input.targetRuntime}`,
        before: { functions: input.functions.map((fn) => fn.name) },
      },
      () =>
        enqueueFor(context, RUNTIME_UPGRADE_JOB, `runtime-upgrade:${input.targetRuntime}`, jobInput).then(
          (created) => ({ jobId: created.id }),
        ),
    );
    return job;
  },
});

export const rollbackRuntimeUpgradeAction = defineAction({
  name: "controls.rollback-runtime-upgrade",
  role: "operator",
  description: "Roll back a bulk runtime upgrade (previous runtimes, aliases back)",
  input: jobReferenceSchema,
  async run(input, context) {
    const { row, state, input: raw } = await loadControlsJob(input.jobId, [RUNTIME_UPGRADE_JOB]);
    const original = raw as RuntimeUpgradeJobInput;
    const done = ((state.results ?? []) as RuntimeUpgradeResult[]).filter(
      (result) => result.status === "done" && result.previousRuntime,
    );
    if (done.length === 0)
      throw new AppError("CONFLICT", {
        userMessage: "The upgrade changed no function; there is nothing to roll back.",
      });
    const jobInput: RuntimeUpgradeJobInput = {
      mode: "rollback",
      onFailure: "continue",
      publishAndMove: original.publishAndMove,
      items: done.map((result) => ({
        name: result.name,
        runtime: result.previousRuntime as string,
        ...(result.revisionAfter ? { revisionId: result.revisionAfter } : {}),
        restoreAliases: (result.aliases ?? []).map((alias) => ({ name: alias.name, version: alias.previousVersion })),
      })),
    };
    return context.change({ target: row.target ?? `job:${row.id}`, before: { rollbackOf: row.id } }, () =>
      enqueueFor(context, RUNTIME_UPGRADE_JOB, row.target, jobInput).then((created) => ({ jobId: created.id })),
    );
  },
});

/** Every action of the controls (appended to lib/actions/all.ts). */
export const controlsActions = [
  putScheduledActionAction,
  deleteScheduledActionAction,
  applyScheduleTemplateAction,
  setProvisionedConcurrencyAction,
  removeProvisionedConcurrencyAction,
  publishAndRepointAction,
  applyConfigurationAction,
  retryControlsJobAction,
  rollbackConfigurationAction,
  startRuntimeUpgradeAction,
  rollbackRuntimeUpgradeAction,
] as const;
