import { z } from "zod";
import { listAliases, listProvisionedConcurrency } from "@/lib/aws/lambda";
import {
  getAlias,
  getFunctionState,
  type PcState,
  publishVersion,
  updateAlias,
  updateFunctionConfiguration,
  waitForUpdate,
} from "@/lib/aws/lambda-changes";
import { controlsDeps } from "@/lib/data/controls-deps";
import { AppError } from "@/lib/errors";
import { JobCancelledError, type JobHandler } from "@/lib/jobs/runner";
import { followProvisionedConcurrency, stepFailure, updateWaitOf } from "./controls-steps";

/**
 * Persisted jobs of the controls. Each is resumable: it checkpoints after every step, and a step
 * that already happened is recognised from AWS's state (PublishVersion returns the existing version
 * when nothing changed; an alias already on the version is not moved again).
 */

// =============================================================================================
// Apply a configuration change: wait for the update → publish → move the alias → follow PC to READY

export const applyConfigurationInput = z.object({
  functionName: z.string(),
  alias: z.string().optional(),
  publishAndMove: z.boolean(),
  /** Move the alias to this existing version instead of publishing (rollback). */
  targetVersion: z.string().optional(),
  /** The alias RevisionId the operator saw: the alias must not have moved since. */
  expectedAliasRevisionId: z.string().optional(),
  description: z.string(),
  /** What the function and alias were before (for the report and a rollback). */
  before: z.object({ memoryMb: z.number(), runtime: z.string(), aliasVersion: z.string().optional() }),
  after: z.object({ memoryMb: z.number(), runtime: z.string() }),
});
export type ApplyConfigurationInput = z.infer<typeof applyConfigurationInput>;

export interface ApplyConfigurationState {
  updated: boolean;
  revisionId: string;
  version: string;
  previousVersion: string;
  aliasMoved: boolean;
  pc: PcState | null;
}

export const APPLY_CONFIGURATION_JOB = "controls.apply-configuration";

export const applyConfigurationJob: JobHandler<ApplyConfigurationInput, ApplyConfigurationState> = {
  kind: APPLY_CONFIGURATION_JOB,
  input: applyConfigurationInput,
  async run(context) {
    const deps = await controlsDeps();
    const { input } = context;
    const name = input.functionName;
    const total = input.publishAndMove && input.alias ? 4 : 1;
    const changed = [`$LATEST of ${name} set to ${input.after.memoryMb} MB, ${input.after.runtime}`];
    const unchanged: string[] = [];
    if (input.publishAndMove && input.alias) {
      unchanged.push(
        `alias ${input.alias} still runs version ${input.before.aliasVersion ?? "?"} (${input.before.memoryMb} MB, ${input.before.runtime})`,
      );
    }

    // 1. Lambda applies the update (LastUpdateStatus InProgress → Successful).
    if (!context.state.updated) {
      try {
        const settled = await waitForUpdate(deps.lambda, name, updateWaitOf(deps), async (state, waitedMs) => {
          await context.progress({
            done: 0,
            total,
            message: `Waiting for Lambda to apply the change to $LATEST (${state.lastUpdateStatus}, ${Math.round(waitedMs / 1000)} s)`,
          });
        });
        await context.checkpoint(
          { updated: true, revisionId: settled.revisionId },
          { done: 1, total, message: "$LATEST updated (LastUpdateStatus Successful)" },
        );
      } catch (error) {
        throw stepFailure(error, "Waiting for the update", [], [`$LATEST may still be changing`, ...unchanged]);
      }
    }
    if (!input.publishAndMove || !input.alias) {
      return { steps: ["updated $LATEST"], note: "No version published: the alias keeps running its version." };
    }
    const alias = input.alias;

    // 2. Publish $LATEST as a version (or use the rollback's version).
    if (!context.state.version) {
      try {
        const version =
          input.targetVersion ??
          (
            await context.change({ target: `function:${name}`, before: { revisionId: context.state.revisionId } }, () =>
              publishVersion(deps.lambda, name, {
                revisionId: context.state.revisionId ?? "",
                description: input.description,
              }).then((published) => ({
                version: published.version,
                memoryMb: published.memoryMb,
                runtime: published.runtime,
              })),
            )
          ).version;
        await context.checkpoint(
          { version },
          {
            done: 2,
            total,
            message: input.targetVersion ? `Moving back to version ${version}` : `Published version ${version}`,
          },
        );
      } catch (error) {
        throw stepFailure(error, "Publishing a version", changed, ["no version published", ...unchanged]);
      }
    }
    const version = context.state.version as string;
    changed.push(input.targetVersion ? `rolling back to version ${version}` : `version ${version} published`);

    // 3. Move the alias (conditional on the alias revision the operator saw).
    if (!context.state.aliasMoved) {
      try {
        const current = await getAlias(deps.lambda, name, alias);
        if (current.functionVersion !== version) {
          if (input.expectedAliasRevisionId && current.revisionId !== input.expectedAliasRevisionId) {
            throw new AppError("CONFLICT", {
              userMessage: `Someone else changed the alias ${alias} (it now points to version ${current.functionVersion}) after you loaded the page, so Phoenix did not move it.`,
            });
          }
          await context.change(
            { target: `function:${name}:${alias}`, before: { functionVersion: current.functionVersion } },
            () =>
              updateAlias(deps.lambda, name, alias, { functionVersion: version, revisionId: current.revisionId }).then(
                (moved) => ({ functionVersion: moved.functionVersion }),
              ),
          );
        }
        await context.checkpoint(
          { aliasMoved: true, previousVersion: current.functionVersion },
          { done: 3, total, message: `Alias ${alias} moved from version ${current.functionVersion} to ${version}` },
        );
      } catch (error) {
        throw stepFailure(error, `Moving the alias ${alias}`, changed, unchanged);
      }
    }

    // 4. Provisioned concurrency is re-provisioned on the new version: follow it to READY.
    let pc: PcState | null;
    try {
      pc = await followProvisionedConcurrency(deps, name, alias, async (state, waitedMs) => {
        await context.progress({
          done: 3,
          total,
          message: `Provisioned concurrency on ${alias} ${state.status}: ${state.allocated} of ${state.requested} allocated (${Math.round(waitedMs / 1000)} s)`,
          parts: [{ label: "Provisioned concurrency allocated", done: state.allocated, total: state.requested }],
        });
      });
    } catch (error) {
      throw stepFailure(
        error,
        "Re-provisioning provisioned concurrency",
        [...changed, `alias ${alias} on version ${version}`],
        [],
      );
    }
    await context.checkpoint(
      { pc },
      {
        done: 4,
        total,
        message: pc
          ? `Done: ${alias} runs version ${version}; provisioned concurrency READY (${pc.allocated} of ${pc.requested})`
          : `Done: ${alias} runs version ${version} (no provisioned concurrency on it)`,
        ...(pc
          ? { parts: [{ label: "Provisioned concurrency allocated", done: pc.allocated, total: pc.requested }] }
          : {}),
      },
    );
    return {
      version,
      previousVersion: context.state.previousVersion,
      alias,
      pcStatus: pc?.status ?? "none",
      pcAllocated: pc?.allocated ?? 0,
    };
  },
};

// =============================================================================================
// Follow a static PC change to READY or FAILED

export const followPcInput = z.object({ functionName: z.string(), qualifier: z.string(), requested: z.number() });
export const FOLLOW_PC_JOB = "controls.follow-pc";

export const followPcJob: JobHandler<z.infer<typeof followPcInput>, { pc: PcState | null }> = {
  kind: FOLLOW_PC_JOB,
  input: followPcInput,
  async run(context) {
    const deps = await controlsDeps();
    const { functionName, qualifier } = context.input;
    const pc = await followProvisionedConcurrency(deps, functionName, qualifier, async (state, waitedMs) => {
      await context.progress({
        done: state.allocated,
        total: Math.max(state.requested, 1),
        message: `Provisioned concurrency ${state.status}: ${state.allocated} of ${state.requested} allocated (${Math.round(waitedMs / 1000)} s)`,
      });
    });
    await context.checkpoint(
      { pc },
      pc
        ? { done: pc.allocated, total: pc.requested, message: `READY: ${pc.allocated} of ${pc.requested} allocated` }
        : { done: 1, total: 1, message: "No provisioned concurrency any more (removed meanwhile)" },
    );
    return { status: pc?.status ?? "removed", allocated: pc?.allocated ?? 0 };
  },
};

// =============================================================================================
// Bulk runtime upgrade (and its rollback)

export const runtimeUpgradeJobInput = z.object({
  mode: z.enum(["upgrade", "rollback"]),
  onFailure: z.enum(["continue", "stop"]),
  publishAndMove: z.boolean(),
  items: z.array(
    z.object({
      name: z.string(),
      runtime: z.string(),
      /** The RevisionId the operator saw; absent on a rollback (it uses the one Phoenix left). */
      revisionId: z.string().optional(),
      /** Rollback: where each alias goes back to. */
      restoreAliases: z.array(z.object({ name: z.string(), version: z.string() })).optional(),
    }),
  ),
});
export type RuntimeUpgradeJobInput = z.infer<typeof runtimeUpgradeJobInput>;

export interface RuntimeUpgradeResult {
  name: string;
  status: "done" | "failed" | "skipped" | "not started";
  message: string;
  previousRuntime?: string;
  runtime?: string;
  revisionAfter?: string;
  version?: string;
  aliases?: { name: string; previousVersion: string; version: string }[];
}

/**
 * The item being upgraded, checkpointed step by step so a restarted job picks it up where it stopped
 * instead of finding $LATEST already on the new runtime and skipping the publish and the alias move.
 */
export interface RuntimeUpgradeFlight {
  index: number;
  previousRuntime: string;
  /** Set once $LATEST settled on the target runtime. */
  revisionAfter?: string;
  /** Set once the version was published (upgrade mode). */
  version?: string;
  /** Each alias's version before the job moved it (recorded before the move). */
  previousVersions?: Record<string, string>;
}

export interface RuntimeUpgradeState {
  index: number;
  results: RuntimeUpgradeResult[];
  inFlight: RuntimeUpgradeFlight | null;
}

export const RUNTIME_UPGRADE_JOB = "controls.runtime-upgrade";

/** Aliases that should follow a change: those carrying PC, or the only alias there is. */
async function aliasesToMove(deps: Awaited<ReturnType<typeof controlsDeps>>, name: string) {
  const aliases = await listAliases(deps.lambda, name);
  if (aliases.length === 0) return [];
  const provisioned = new Set((await listProvisionedConcurrency(deps.lambda, name)).map((pc) => pc.qualifier));
  const carrying = aliases.filter((alias) => provisioned.has(alias.name));
  return (carrying.length > 0 ? carrying : aliases.length === 1 ? aliases : []).map((alias) => alias.name);
}

function partsOf(results: RuntimeUpgradeResult[], items: RuntimeUpgradeJobInput["items"]) {
  return items.map((item, index) => {
    const result = results[index];
    return {
      label: `${item.name}: ${result ? `${result.status} — ${result.message}` : "waiting"}`,
      done: result && result.status !== "not started" ? 1 : 0,
      total: 1,
    };
  });
}

export const runtimeUpgradeJob: JobHandler<RuntimeUpgradeJobInput, RuntimeUpgradeState> = {
  kind: RUNTIME_UPGRADE_JOB,
  input: runtimeUpgradeJobInput,
  async run(context) {
    const deps = await controlsDeps();
    const { items, onFailure, publishAndMove, mode } = context.input;
    const results = [...(context.state.results ?? [])];
    const verb = mode === "upgrade" ? "Upgrading" : "Rolling back";
    for (let index = context.state.index ?? 0; index < items.length; index++) {
      const item = items[index] as RuntimeUpgradeJobInput["items"][number];
      await context.progress({
        done: index,
        total: items.length,
        message: `${verb} ${item.name} to ${item.runtime} (${index + 1} of ${items.length})`,
        parts: partsOf(results, items),
      });
      let result: RuntimeUpgradeResult;
      const report = (message: string) =>
        context.progress({ done: index, total: items.length, message, parts: partsOf(results, items) });
      try {
        result = await upgradeOne(deps, context, index, item, publishAndMove, mode, report);
      } catch (error) {
        if (error instanceof JobCancelledError) throw error;
        result = { name: item.name, status: "failed", message: AppError.from(error).userMessage };
      }
      results[index] = result;
      await context.checkpoint(
        { index: index + 1, results, inFlight: null },
        {
          done: index + 1,
          total: items.length,
          message: `${item.name}: ${result.status}`,
          parts: partsOf(results, items),
        },
      );
      if (result.status === "failed" && onFailure === "stop") {
        for (let rest = index + 1; rest < items.length; rest++) {
          results[rest] = {
            name: (items[rest] as { name: string }).name,
            status: "not started",
            message: "stopped after the first failure",
          };
        }
        await context.checkpoint(
          { index: items.length, results },
          {
            done: index + 1,
            total: items.length,
            message: "Stopped after the first failure",
            parts: partsOf(results, items),
          },
        );
        throw new AppError("AWS_ERROR", { userMessage: summarize(results, true) });
      }
    }
    if (results.some((result) => result.status === "failed")) {
      throw new AppError("AWS_ERROR", { userMessage: summarize(results, false) });
    }
    return { summary: summarize(results, false), results };
  },
};

function summarize(results: RuntimeUpgradeResult[], stopped: boolean): string {
  const count = (status: RuntimeUpgradeResult["status"]) => results.filter((result) => result.status === status).length;
  const failed = results.filter((result) => result.status === "failed");
  return [
    stopped ? "Stopped at the first failure." : "",
    `${count("done")} done, ${count("skipped")} skipped, ${count("failed")} failed, ${count("not started")} not started.`,
    ...failed.map((result) => `${result.name}: ${result.message}`),
  ]
    .filter(Boolean)
    .join(" ");
}

async function upgradeOne(
  deps: Awaited<ReturnType<typeof controlsDeps>>,
  context: Parameters<JobHandler<RuntimeUpgradeJobInput, RuntimeUpgradeState>["run"]>[0],
  index: number,
  item: RuntimeUpgradeJobInput["items"][number],
  publishAndMove: boolean,
  mode: "upgrade" | "rollback",
  report: (message: string) => Promise<void>,
): Promise<RuntimeUpgradeResult> {
  const name = item.name;
  const resumed = context.state.inFlight;
  let flight: RuntimeUpgradeFlight;
  if (resumed && resumed.index === index) {
    flight = resumed;
  } else {
    const current = await getFunctionState(deps.lambda, name);
    if (current.runtime === item.runtime && mode === "upgrade") {
      return { name, status: "skipped", message: `already on ${item.runtime}` };
    }
    flight = { index, previousRuntime: current.runtime };
    // Before the change: a crash right after the call still finds this item in flight.
    await context.checkpoint({ inFlight: flight });
  }

  // 1. $LATEST on the target runtime, settled.
  if (flight.revisionAfter === undefined) {
    const current = await getFunctionState(deps.lambda, name);
    if (current.runtime !== item.runtime) {
      const revisionId = item.revisionId ?? current.revisionId;
      await context.change({ target: `function:${name}`, before: { runtime: current.runtime, revisionId } }, () =>
        updateFunctionConfiguration(deps.lambda, name, { runtime: item.runtime, revisionId }).then((updated) => ({
          runtime: updated.runtime,
        })),
      );
    }
    const settled = await waitForUpdate(deps.lambda, name, updateWaitOf(deps), (state, waitedMs) =>
      report(
        `${name}: waiting for Lambda to apply ${item.runtime} (${state.lastUpdateStatus}, ${Math.round(waitedMs / 1000)} s)`,
      ),
    );
    flight = { ...flight, revisionAfter: settled.revisionId };
    await context.checkpoint({ inFlight: flight });
  }
  const revisionAfter = flight.revisionAfter as string;
  const base: RuntimeUpgradeResult = {
    name,
    status: "done",
    message: `$LATEST on ${item.runtime}`,
    previousRuntime: flight.previousRuntime,
    runtime: item.runtime,
    revisionAfter,
  };
  if (!publishAndMove) return base;

  // 2. A version to move the aliases to (publishing again after a crash returns the same version).
  const restore = new Map((item.restoreAliases ?? []).map((alias) => [alias.name, alias.version]));
  const aliasNames = mode === "rollback" ? [...restore.keys()] : await aliasesToMove(deps, name);
  if (aliasNames.length === 0) return { ...base, message: `${base.message}; no alias to move` };
  if (mode === "upgrade" && flight.version === undefined) {
    const { version } = await context.change(
      { target: `function:${name}`, before: { revisionId: revisionAfter } },
      () =>
        publishVersion(deps.lambda, name, { revisionId: revisionAfter, description: `Runtime ${item.runtime}` }).then(
          (published) => ({ version: published.version }),
        ),
    );
    flight = { ...flight, version };
    await context.checkpoint({ inFlight: flight });
  }

  // 3. Move the aliases; the version each ran before is recorded first, for the rollback.
  const moved: { name: string; previousVersion: string; version: string }[] = [];
  for (const aliasName of aliasNames) {
    const alias = await getAlias(deps.lambda, name, aliasName);
    const to = mode === "rollback" ? (restore.get(aliasName) as string) : (flight.version as string);
    const previousVersion = flight.previousVersions?.[aliasName] ?? alias.functionVersion;
    if (alias.functionVersion !== to) {
      flight = { ...flight, previousVersions: { ...flight.previousVersions, [aliasName]: previousVersion } };
      await context.checkpoint({ inFlight: flight });
      await context.change(
        { target: `function:${name}:${aliasName}`, before: { functionVersion: alias.functionVersion } },
        () =>
          updateAlias(deps.lambda, name, aliasName, { functionVersion: to, revisionId: alias.revisionId }).then(
            (after) => ({ functionVersion: after.functionVersion }),
          ),
      );
    }
    moved.push({ name: aliasName, previousVersion, version: to });
  }

  // 4. Provisioned concurrency on the moved aliases re-initializes on the new version: follow it to
  //    READY, so "done" means warm environments are serving the new runtime again.
  const pcNotes: string[] = [];
  for (const alias of moved) {
    try {
      const pc = await followProvisionedConcurrency(deps, name, alias.name, (state, waitedMs) =>
        report(
          `${name}:${alias.name}: provisioned concurrency ${state.status} (${state.allocated} of ${state.requested}, ${Math.round(waitedMs / 1000)} s)`,
        ),
      );
      if (pc) pcNotes.push(`PC on ${alias.name} READY (${pc.allocated})`);
    } catch (error) {
      if (error instanceof JobCancelledError) throw error;
      return {
        ...base,
        ...(flight.version ? { version: flight.version } : {}),
        aliases: moved,
        status: "failed",
        message: `${base.message}; aliases moved (${moved.map((a) => `${a.name} ${a.previousVersion} → ${a.version}`).join(", ")}), but ${AppError.from(error).userMessage}`,
      };
    }
  }
  return {
    ...base,
    ...(flight.version ? { version: flight.version } : {}),
    aliases: moved,
    message: [
      `${base.message}; ${moved.map((alias) => `${alias.name} ${alias.previousVersion} → ${alias.version}`).join(", ")}`,
      ...pcNotes,
    ].join("; "),
  };
}

/** Every job kind of the controls, for lib/jobs/registry.ts. */
export const controlsJobHandlers = [applyConfigurationJob, followPcJob, runtimeUpgradeJob];
