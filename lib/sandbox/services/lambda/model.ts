import { createHash, randomUUID } from "node:crypto";
import type { RegionContext } from "../../region";
import { type CodeProfile, SIMULATOR_PARAMETERS, type WorkloadProfile } from "../../simulator/parameters";
import {
  type ConfigurationSegment,
  type FunctionTimeline,
  type ProvisionedSegment,
  provisionedAllocatedAt,
} from "../../simulator/timeline";
import { lambdaErrors } from "./errors";
import { BLOCKED_RUNTIMES, isKnownRuntime, RUNTIME_ENUM } from "./runtimes";

/**
 * Lambda state and rules for one account and region: functions, published versions, aliases and
 * provisioned-concurrency configs, with the transitions AWS shows (AWS_BEHAVIOUR.md §3). Handlers stay
 * thin; every rule lives here. All state is plain JSON so it can be persisted as is.
 */

export interface FunctionSettings {
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  handler: string;
  role: string;
  description: string;
  architecture: "x86_64" | "arm64";
  environment: Record<string, string>;
  layers: { arn: string; codeSizeBytes: number }[];
  codeSizeBytes: number;
  codeSha256: string;
  ephemeralStorageMb: number;
  tracingMode: "Active" | "PassThrough";
}

export interface VersionRecord {
  version: string;
  settings: FunctionSettings;
  code: CodeProfile;
  description: string;
  revisionId: string;
  lastModified: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

export interface ProvisionedRecord {
  qualifier: string;
  requested: number;
  /** Allocation ramps linearly from `startAllocated` at `fromMs` to `requested` over `rampMs`. */
  fromMs: number;
  startAllocated: number;
  rampMs: number;
  lastModified: string;
}

export interface FunctionRecord {
  name: string;
  settings: FunctionSettings;
  code: CodeProfile;
  revisionId: string;
  lastModified: string;
  /** InProgress until this instant (null when stuck by a fault); absent when Successful. */
  updateCompletesAtMs?: number | null;
  reservedConcurrency?: number;
  versions: Record<string, VersionRecord>;
  nextVersion: number;
  aliases: Record<string, AliasRecord>;
  provisioned: Record<string, ProvisionedRecord>;
  /** The simulator's view: what the traffic executes over time. */
  timeline: FunctionTimeline;
  /** Invoke API: last time each qualifier ran (for cold starts of direct invocations). */
  lastInvokedAtMs: Record<string, number>;
}

export interface LambdaState {
  functions: Record<string, FunctionRecord>;
}

export function emptyLambdaState(): LambdaState {
  return { functions: {} };
}

const FUNCTION_NAME_PATTERN =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const QUALIFIER_PATTERN = /^(|[a-zA-Z0-9$_-]+)$/;
const ALIAS_NAME_PATTERN = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

export function formatLastModified(ms: number): string {
  // AWS: 2019-11-21T19:32:12.000+0000
  return new Date(ms).toISOString().replace("Z", "+0000");
}

function formatPcLastModified(ms: number): string {
  // AWS: 2019-11-21T19:32:12+0000
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+0000");
}

export class LambdaModel {
  constructor(private readonly region: RegionContext) {}

  private get state(): LambdaState {
    return this.region.state.lambda;
  }

  functionArn(name: string, qualifier?: string): string {
    const base = `arn:aws:lambda:${this.region.regionName}:${this.region.accountId}:function:${name}`;
    return qualifier ? `${base}:${qualifier}` : base;
  }

  // ---------------------------------------------------------------- lookups

  /** Splits a FunctionName (name, ARN or partial ARN, optionally `:qualifier`) into name and qualifier. */
  parseFunctionName(input: unknown, field = "functionName"): { name: string; qualifier?: string } {
    if (typeof input !== "string" || input.length === 0) {
      throw lambdaErrors.validation(input ?? "null", field, "Member must not be null");
    }
    if (input.length > 140) {
      throw lambdaErrors.validation(input, field, "Member must have length less than or equal to 140");
    }
    const match = FUNCTION_NAME_PATTERN.exec(input);
    if (!match) {
      throw lambdaErrors.validation(
        input,
        field,
        "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
      );
    }
    const name = match[11] as string;
    if (!input.startsWith("arn:") && !match[9] && name.length > 64) {
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      );
    }
    return match[13] ? { name, qualifier: match[13] } : { name };
  }

  validateQualifier(qualifier: string | undefined): void {
    if (qualifier === undefined) return;
    if (qualifier.length < 1 || qualifier.length > 128 || !QUALIFIER_PATTERN.test(qualifier)) {
      throw lambdaErrors.validation(
        qualifier,
        "qualifier",
        "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
      );
    }
  }

  getFunctionRecord(name: string): FunctionRecord {
    const record = this.state.functions[name];
    if (!record) throw lambdaErrors.functionNotFound(this.functionArn(name));
    this.settle(record);
    return record;
  }

  /** Applies any update whose InProgress time has passed (RevisionId changes again on completion). */
  settle(record: FunctionRecord): void {
    const completes = record.updateCompletesAtMs;
    if (completes === undefined || completes === null) return;
    if (this.region.nowMs() >= completes) {
      delete record.updateCompletesAtMs;
      record.revisionId = randomUUID();
      this.region.markDirty();
    }
  }

  /** Combines a qualifier given in the name and in the Qualifier parameter (they must agree). */
  resolveQualifier(fromName: string | undefined, fromParameter: string | undefined): string | undefined {
    this.validateQualifier(fromParameter);
    if (fromName && fromParameter && fromName !== fromParameter) {
      throw lambdaErrors.invalidParameter(
        "The derived qualifier from the function name does not match the specified qualifier.",
      );
    }
    return fromParameter ?? fromName;
  }

  /** The configuration a qualifier designates, or 404 as AWS words it. */
  resolveTarget(
    record: FunctionRecord,
    qualifier: string | undefined,
  ): { version: string; alias?: AliasRecord; view: VersionRecord | "latest" } {
    if (qualifier === undefined || qualifier === "$LATEST") return { version: "$LATEST", view: "latest" };
    if (/^\d+$/.test(qualifier)) {
      const version = record.versions[qualifier];
      if (!version) throw lambdaErrors.functionNotFound(this.functionArn(record.name, qualifier));
      return { version: qualifier, view: version };
    }
    const alias = record.aliases[qualifier];
    if (!alias) throw lambdaErrors.functionNotFound(this.functionArn(record.name, qualifier));
    const view = alias.functionVersion === "$LATEST" ? "latest" : record.versions[alias.functionVersion];
    if (!view) throw lambdaErrors.functionNotFound(this.functionArn(record.name, alias.functionVersion));
    return { version: alias.functionVersion, alias, view };
  }

  // ---------------------------------------------------------------- views

  /** FunctionConfiguration as GetFunctionConfiguration returns it. */
  configurationView(
    record: FunctionRecord,
    qualifier?: string,
    options: { forList?: boolean } = {},
  ): Record<string, unknown> {
    const target = this.resolveTarget(record, qualifier);
    const isLatest = target.view === "latest";
    const settings = isLatest ? record.settings : (target.view as VersionRecord).settings;
    const inProgress = isLatest && record.updateCompletesAtMs !== undefined;
    const view: Record<string, unknown> = {
      FunctionName: record.name,
      FunctionArn: this.functionArn(
        record.name,
        target.version === "$LATEST" && !qualifier ? undefined : target.version,
      ),
      Runtime: settings.runtime,
      Role: settings.role,
      Handler: settings.handler,
      CodeSize: settings.codeSizeBytes,
      Description: isLatest ? settings.description : (target.view as VersionRecord).description,
      Timeout: settings.timeoutSeconds,
      MemorySize: settings.memoryMb,
      LastModified: isLatest ? record.lastModified : (target.view as VersionRecord).lastModified,
      CodeSha256: settings.codeSha256,
      Version: target.version,
      Environment: { Variables: { ...settings.environment } },
      TracingConfig: { Mode: settings.tracingMode },
      RevisionId: isLatest ? record.revisionId : (target.view as VersionRecord).revisionId,
      Layers: settings.layers.map((layer) => ({ Arn: layer.arn, CodeSize: layer.codeSizeBytes })),
      PackageType: "Zip",
      Architectures: [settings.architecture],
      EphemeralStorage: { Size: settings.ephemeralStorageMb },
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${record.name}` },
    };
    if (!options.forList) {
      view.State = "Active";
      view.LastUpdateStatus = inProgress ? "InProgress" : "Successful";
      if (inProgress) {
        view.LastUpdateStatusReason = "The function is being created.";
        view.LastUpdateStatusReasonCode = "Creating";
      }
      view.RuntimeVersionConfig = {
        RuntimeVersionArn: `arn:aws:lambda:${this.region.regionName}::runtime:${createHash("sha256").update(settings.runtime).digest("hex")}`,
      };
    }
    return view;
  }

  // ---------------------------------------------------------------- functions

  listFunctions(input: { marker?: string; maxItems?: number; functionVersion?: string }): {
    functions: Record<string, unknown>[];
    nextMarker?: string;
  } {
    if (input.functionVersion !== undefined && input.functionVersion !== "ALL") {
      throw lambdaErrors.validation(
        input.functionVersion,
        "functionVersion",
        "Member must satisfy enum value set: [ALL]",
      );
    }
    const pageSize = Math.min(this.checkMaxItems(input.maxItems, 10000), 50);
    const entries: { name: string; qualifier?: string }[] = [];
    for (const name of Object.keys(this.state.functions).sort()) {
      entries.push({ name });
      if (input.functionVersion === "ALL") {
        const record = this.getFunctionRecord(name);
        for (const version of Object.keys(record.versions).sort((a, b) => Number(a) - Number(b)))
          entries.push({ name, qualifier: version });
      }
    }
    const start = this.decodeMarker(input.marker);
    const page = entries.slice(start, start + pageSize);
    const functions = page.map((entry) => {
      const record = this.getFunctionRecord(entry.name);
      return this.configurationView(record, entry.qualifier, { forList: true });
    });
    const next = start + pageSize < entries.length ? this.encodeMarker(start + pageSize) : undefined;
    return next ? { functions, nextMarker: next } : { functions };
  }

  checkMaxItems(maxItems: number | undefined, maximum: number): number {
    if (maxItems === undefined) return maximum;
    if (!Number.isInteger(maxItems) || maxItems < 1) {
      throw lambdaErrors.validation(maxItems, "maxItems", "Member must have value greater than or equal to 1");
    }
    if (maxItems > maximum) {
      throw lambdaErrors.validation(maxItems, "maxItems", `Member must have value less than or equal to ${maximum}`);
    }
    return maxItems;
  }

  encodeMarker(offset: number): string {
    return Buffer.from(JSON.stringify({ offset })).toString("base64url");
  }

  decodeMarker(marker: string | undefined): number {
    if (marker === undefined || marker === "") return 0;
    try {
      const parsed = JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as { offset?: unknown };
      if (typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0)
        return parsed.offset;
    } catch {
      // fall through to the AWS error below
    }
    throw lambdaErrors.invalidParameter("Invalid pagination marker");
  }

  updateFunctionConfiguration(name: string, input: Record<string, unknown>): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    if (record.updateCompletesAtMs !== undefined) throw lambdaErrors.updateInProgress(this.functionArn(name));
    if (input.RevisionId !== undefined && input.RevisionId !== record.revisionId)
      throw lambdaErrors.preconditionFailed();
    const next: FunctionSettings = { ...record.settings, environment: { ...record.settings.environment } };
    if (input.MemorySize !== undefined) {
      const memory = input.MemorySize;
      if (typeof memory !== "number" || !Number.isInteger(memory))
        throw lambdaErrors.serialization("Invalid MemorySize: expected an integer");
      if (memory < 128)
        throw lambdaErrors.validation(memory, "memorySize", "Member must have value greater than or equal to 128");
      if (memory > 10240)
        throw lambdaErrors.validation(memory, "memorySize", "Member must have value less than or equal to 10240");
      next.memoryMb = memory;
    }
    if (input.Timeout !== undefined) {
      const timeout = input.Timeout;
      if (typeof timeout !== "number" || !Number.isInteger(timeout))
        throw lambdaErrors.serialization("Invalid Timeout: expected an integer");
      if (timeout < 1)
        throw lambdaErrors.validation(timeout, "timeout", "Member must have value greater than or equal to 1");
      const maximum = this.region.options.maxTimeoutSeconds;
      if (timeout > maximum)
        throw lambdaErrors.validation(timeout, "timeout", `Member must have value less than or equal to ${maximum}`);
      next.timeoutSeconds = timeout;
    }
    if (input.Runtime !== undefined) {
      const runtime = input.Runtime;
      if (typeof runtime !== "string" || !isKnownRuntime(runtime)) {
        throw lambdaErrors.invalidParameter(
          `Value ${String(runtime)} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${RUNTIME_ENUM.join(", ")}] or be a valid ARN`,
        );
      }
      if (BLOCKED_RUNTIMES.has(runtime)) {
        throw lambdaErrors.invalidParameter(
          `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
        );
      }
      next.runtime = runtime;
    }
    if (input.Description !== undefined) {
      if (typeof input.Description !== "string" || input.Description.length > 256) {
        throw lambdaErrors.validation(
          input.Description,
          "description",
          "Member must have length less than or equal to 256",
        );
      }
      next.description = input.Description;
    }
    if (input.Handler !== undefined) {
      if (typeof input.Handler !== "string" || input.Handler.length === 0 || input.Handler.length > 128) {
        throw lambdaErrors.validation(input.Handler, "handler", "Member must have length less than or equal to 128");
      }
      next.handler = input.Handler;
    }
    if (input.Environment !== undefined) {
      const variables = (input.Environment as { Variables?: unknown } | null)?.Variables;
      if (variables !== undefined && (typeof variables !== "object" || variables === null)) {
        throw lambdaErrors.serialization("Invalid Environment: Variables must be a map");
      }
      next.environment = Object.fromEntries(
        Object.entries((variables as Record<string, unknown>) ?? {}).map(([key, value]) => [key, String(value)]),
      );
    }
    if (input.EphemeralStorage !== undefined) {
      const size = (input.EphemeralStorage as { Size?: unknown } | null)?.Size;
      if (typeof size !== "number" || size < 512 || size > 10240) {
        throw lambdaErrors.validation(size, "ephemeralStorage.size", "Member must have value between 512 and 10240");
      }
      next.ephemeralStorageMb = size;
    }
    if (input.TracingConfig !== undefined) {
      const mode = (input.TracingConfig as { Mode?: unknown } | null)?.Mode;
      if (mode !== "Active" && mode !== "PassThrough") {
        throw lambdaErrors.validation(
          mode,
          "tracingConfig.mode",
          "Member must satisfy enum value set: [Active, PassThrough]",
        );
      }
      next.tracingMode = mode;
    }
    if (input.SnapStart !== undefined) {
      const applyOn = (input.SnapStart as { ApplyOn?: unknown } | null)?.ApplyOn;
      if (applyOn !== "PublishedVersions" && applyOn !== "None") {
        throw lambdaErrors.validation(
          applyOn,
          "snapStart.applyOn",
          "Member must satisfy enum value set: [PublishedVersions, None]",
        );
      }
      if (applyOn === "PublishedVersions") {
        throw lambdaErrors.invalidParameter(`${next.runtime} is not supported for SnapStart enabled functions.`);
      }
    }
    const at = this.region.nowMs();
    record.settings = next;
    record.revisionId = randomUUID();
    record.lastModified = formatLastModified(at);
    const stuck = this.region.faults.current.stuckUpdates;
    record.updateCompletesAtMs = stuck ? null : at + this.region.options.updateDurationMs;
    // Invocations keep running the previous configuration until the update completes.
    this.recordTrafficChange(record, stuck ? at : at + this.region.options.updateDurationMs);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "UpdateFunctionConfiguration",
      resource: this.functionArn(name),
      detail: input,
    });
    return this.configurationView(record);
  }

  publishVersion(
    name: string,
    input: { Description?: unknown; RevisionId?: unknown; CodeSha256?: unknown },
  ): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    if (record.updateCompletesAtMs !== undefined) throw lambdaErrors.updateInProgress(this.functionArn(name));
    if (input.RevisionId !== undefined && input.RevisionId !== record.revisionId)
      throw lambdaErrors.preconditionFailed();
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== record.settings.codeSha256) {
      throw lambdaErrors.invalidParameter(
        `CodeSHA256 (${String(input.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${record.settings.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    if (input.Description !== undefined && (typeof input.Description !== "string" || input.Description.length > 256)) {
      throw lambdaErrors.validation(
        input.Description,
        "description",
        "Member must have length less than or equal to 256",
      );
    }
    const latestVersion = record.versions[String(record.nextVersion - 1)];
    // Nothing changed since the last version: AWS makes no new version and returns that one.
    if (
      latestVersion &&
      JSON.stringify(latestVersion.settings) === JSON.stringify(record.settings) &&
      JSON.stringify(latestVersion.code) === JSON.stringify(record.code)
    ) {
      return this.configurationView(record, latestVersion.version);
    }
    const at = this.region.nowMs();
    const version = this.createVersion(record, at, typeof input.Description === "string" ? input.Description : "");
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "PublishVersion",
      resource: this.functionArn(name, version.version),
      detail: {},
    });
    return this.configurationView(record, version.version);
  }

  createVersion(record: FunctionRecord, at: number, description: string): VersionRecord {
    const version: VersionRecord = {
      version: String(record.nextVersion),
      settings: structuredClone(record.settings),
      code: { ...record.code },
      description,
      revisionId: randomUUID(),
      lastModified: formatLastModified(at),
    };
    record.versions[version.version] = version;
    record.nextVersion += 1;
    this.region.markDirty();
    return version;
  }

  listVersions(
    name: string,
    input: { marker?: string; maxItems?: number },
  ): { versions: Record<string, unknown>[]; nextMarker?: string } {
    const record = this.getFunctionRecord(name);
    const pageSize = Math.min(this.checkMaxItems(input.maxItems, 10000), 50);
    const qualifiers = ["$LATEST", ...Object.keys(record.versions).sort((a, b) => Number(a) - Number(b))];
    const start = this.decodeMarker(input.marker);
    const versions = qualifiers.slice(start, start + pageSize).map((qualifier) => {
      const view = this.configurationView(record, qualifier === "$LATEST" ? undefined : qualifier);
      if (qualifier === "$LATEST") view.FunctionArn = this.functionArn(name, "$LATEST");
      return view;
    });
    const next = start + pageSize < qualifiers.length ? this.encodeMarker(start + pageSize) : undefined;
    return next ? { versions, nextMarker: next } : { versions };
  }

  // ---------------------------------------------------------------- aliases

  aliasView(record: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
    const view: Record<string, unknown> = {
      AliasArn: this.functionArn(record.name, alias.name),
      Name: alias.name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      RevisionId: alias.revisionId,
    };
    if (alias.additionalVersionWeights)
      view.RoutingConfig = { AdditionalVersionWeights: { ...alias.additionalVersionWeights } };
    return view;
  }

  private validateAliasName(name: unknown): string {
    if (typeof name !== "string" || name.length === 0)
      throw lambdaErrors.validation(name ?? "null", "name", "Member must not be null");
    if (name.length > 128)
      throw lambdaErrors.validation(name, "name", "Member must have length less than or equal to 128");
    if (!ALIAS_NAME_PATTERN.test(name)) {
      throw lambdaErrors.validation(
        name,
        "name",
        "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
      );
    }
    return name;
  }

  private validateRouting(
    record: FunctionRecord,
    functionVersion: string,
    routing: unknown,
  ): Record<string, number> | undefined {
    if (routing === undefined || routing === null) return undefined;
    const weights = (routing as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights;
    if (weights === undefined || weights === null) return undefined;
    if (typeof weights !== "object") throw lambdaErrors.serialization("Invalid RoutingConfig");
    const entries = Object.entries(weights as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    if (entries.length > 1)
      throw lambdaErrors.invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
    const [version, weight] = entries[0] as [string, unknown];
    if (!/^[0-9]+$/.test(version)) {
      throw lambdaErrors.validation(
        version,
        "routingConfig.additionalVersionWeights",
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]",
      );
    }
    if (typeof weight !== "number" || weight < 0 || weight > 1) {
      throw lambdaErrors.validation(
        weight,
        "routingConfig.additionalVersionWeights",
        "Map value must satisfy constraint: [Member must have value between 0.0 and 1.0]",
      );
    }
    if (functionVersion === "$LATEST")
      throw lambdaErrors.invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
    if (version === functionVersion) {
      throw lambdaErrors.invalidParameter(
        `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
      );
    }
    if (!record.versions[version]) throw lambdaErrors.functionNotFound(this.functionArn(record.name, version));
    return { [version]: weight };
  }

  private validateFunctionVersion(record: FunctionRecord, version: unknown): string {
    if (typeof version !== "string" || version.length === 0)
      throw lambdaErrors.validation(version ?? "null", "functionVersion", "Member must not be null");
    if (version !== "$LATEST" && !/^[0-9]+$/.test(version)) {
      throw lambdaErrors.validation(
        version,
        "functionVersion",
        "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)",
      );
    }
    if (version !== "$LATEST" && !record.versions[version])
      throw lambdaErrors.functionNotFound(this.functionArn(record.name, version));
    return version;
  }

  createAlias(name: string, input: Record<string, unknown>): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    const aliasName = this.validateAliasName(input.Name);
    const functionVersion = this.validateFunctionVersion(record, input.FunctionVersion);
    if (input.Description !== undefined && (typeof input.Description !== "string" || input.Description.length > 256)) {
      throw lambdaErrors.validation(
        input.Description,
        "description",
        "Member must have length less than or equal to 256",
      );
    }
    const weights = this.validateRouting(record, functionVersion, input.RoutingConfig);
    if (record.aliases[aliasName])
      throw lambdaErrors.conflict(`Alias already exists: ${this.functionArn(name, aliasName)}`);
    const alias: AliasRecord = {
      name: aliasName,
      functionVersion,
      description: typeof input.Description === "string" ? input.Description : "",
      revisionId: randomUUID(),
      ...(weights ? { additionalVersionWeights: weights } : {}),
    };
    record.aliases[aliasName] = alias;
    const at = this.region.nowMs();
    this.recordTrafficChange(record, at);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "CreateAlias",
      resource: this.functionArn(name, aliasName),
      detail: input,
    });
    return this.aliasView(record, alias);
  }

  getAlias(name: string, aliasName: string): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    this.validateAliasName(aliasName);
    const alias = record.aliases[aliasName];
    if (!alias) throw lambdaErrors.aliasNotFound(this.functionArn(name, aliasName));
    return this.aliasView(record, alias);
  }

  updateAlias(name: string, aliasName: string, input: Record<string, unknown>): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    this.validateAliasName(aliasName);
    const alias = record.aliases[aliasName];
    if (!alias) throw lambdaErrors.resourceNotFound(`Alias not found: ${this.functionArn(name, aliasName)}`);
    if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId)
      throw lambdaErrors.preconditionFailed("GetAlias");
    const functionVersion =
      input.FunctionVersion === undefined
        ? alias.functionVersion
        : this.validateFunctionVersion(record, input.FunctionVersion);
    const weights =
      input.RoutingConfig === undefined
        ? alias.additionalVersionWeights
        : this.validateRouting(record, functionVersion, input.RoutingConfig);
    if (input.Description !== undefined && (typeof input.Description !== "string" || input.Description.length > 256)) {
      throw lambdaErrors.validation(
        input.Description,
        "description",
        "Member must have length less than or equal to 256",
      );
    }
    const provisioned = record.provisioned[aliasName];
    if (provisioned && functionVersion === "$LATEST") {
      throw lambdaErrors.invalidParameter(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
      );
    }
    if (provisioned && functionVersion !== alias.functionVersion && record.provisioned[functionVersion]) {
      throw lambdaErrors.conflict(
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
      );
    }
    const at = this.region.nowMs();
    const moved = functionVersion !== alias.functionVersion;
    alias.functionVersion = functionVersion;
    if (weights) alias.additionalVersionWeights = weights;
    else delete alias.additionalVersionWeights;
    if (typeof input.Description === "string") alias.description = input.Description;
    alias.revisionId = randomUUID();
    // Repointing a provisioned alias releases the old version's environments and provisions the new
    // version from zero: IN_PROGRESS again for the ramp.
    if (provisioned && moved) {
      provisioned.fromMs = at;
      provisioned.startAllocated = 0;
      provisioned.rampMs = this.region.options.provisionedRampMs;
      provisioned.lastModified = formatPcLastModified(at);
    }
    this.recordTrafficChange(record, at);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "UpdateAlias",
      resource: this.functionArn(name, aliasName),
      detail: input,
    });
    return this.aliasView(record, alias);
  }

  deleteAlias(name: string, aliasName: string): void {
    const record = this.getFunctionRecord(name);
    this.validateAliasName(aliasName);
    if (!record.aliases[aliasName]) return;
    delete record.aliases[aliasName];
    delete record.provisioned[aliasName];
    const at = this.region.nowMs();
    this.recordTrafficChange(record, at);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "DeleteAlias",
      resource: this.functionArn(name, aliasName),
      detail: {},
    });
  }

  /**
   * DeleteFunction with a Qualifier: removes one published version (and its provisioned concurrency).
   * As measured on AWS: an absent version answers 204, a version an alias references is a 409 naming
   * the aliases, `$LATEST` cannot be deleted alone. Deleting a whole function is not emulated.
   */
  deleteFunctionVersion(name: string, qualifier: string | undefined): void {
    const record = this.getFunctionRecord(name);
    if (qualifier === undefined) {
      throw lambdaErrors.invalidParameter("The sandbox does not delete functions; pass a version as Qualifier.");
    }
    if (qualifier === "$LATEST") {
      throw lambdaErrors.invalidParameter("$LATEST version cannot be deleted without deleting the function.");
    }
    if (!/^\d+$/.test(qualifier)) {
      throw lambdaErrors.invalidParameter("Deletion of aliases is not supported; use DeleteAlias.");
    }
    if (!record.versions[qualifier]) return;
    const referencing = Object.values(record.aliases)
      .filter(
        (alias) => alias.functionVersion === qualifier || alias.additionalVersionWeights?.[qualifier] !== undefined,
      )
      .map((alias) => alias.name)
      .sort();
    if (referencing.length > 0) {
      throw lambdaErrors.conflict(
        `Unable to delete version because the following aliases reference it: [${referencing.join(", ")}]`,
      );
    }
    delete record.versions[qualifier];
    delete record.provisioned[qualifier];
    delete record.lastInvokedAtMs[qualifier];
    const at = this.region.nowMs();
    this.region.markDirty();
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "DeleteFunction",
      resource: this.functionArn(name, qualifier),
      detail: {},
    });
  }

  listAliases(
    name: string,
    input: { functionVersion?: string; marker?: string; maxItems?: number },
  ): { aliases: Record<string, unknown>[]; nextMarker?: string } {
    const record = this.getFunctionRecord(name);
    const pageSize = this.checkMaxItems(input.maxItems, 10000);
    const all = Object.values(record.aliases)
      .filter((alias) => input.functionVersion === undefined || alias.functionVersion === input.functionVersion)
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = this.decodeMarker(input.marker);
    const aliases = all.slice(start, start + pageSize).map((alias) => this.aliasView(record, alias));
    const next = start + pageSize < all.length ? this.encodeMarker(start + pageSize) : undefined;
    return next ? { aliases, nextMarker: next } : { aliases };
  }

  // ---------------------------------------------------------------- provisioned concurrency

  private provisionedQualifier(
    record: FunctionRecord,
    qualifier: string | undefined,
    operation: "put" | "get",
  ): { alias?: AliasRecord; version: string } {
    if (qualifier === undefined || qualifier === "")
      throw lambdaErrors.validation("null", "qualifier", "Member must not be null");
    this.validateQualifier(qualifier);
    if (qualifier === "$LATEST") {
      throw lambdaErrors.invalidParameter(
        operation === "put"
          ? "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
          : "The function resource provided must be an alias or a published version.",
      );
    }
    if (/^\d+$/.test(qualifier)) {
      if (!record.versions[qualifier]) throw lambdaErrors.functionNotFound(this.functionArn(record.name, qualifier));
      return { version: qualifier };
    }
    const alias = record.aliases[qualifier];
    if (!alias) throw lambdaErrors.aliasNotFound(this.functionArn(record.name, qualifier));
    if (alias.functionVersion === "$LATEST" && operation === "put") {
      throw lambdaErrors.invalidParameter(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
      );
    }
    return { alias, version: alias.functionVersion };
  }

  provisionedView(record: FunctionRecord, config: ProvisionedRecord, listing = false): Record<string, unknown> {
    const now = this.region.nowMs();
    const allocated = provisionedAllocatedAt(
      [
        {
          fromMs: config.fromMs,
          startAllocated: config.startAllocated,
          target: config.requested,
          rampMs: config.rampMs,
        },
      ],
      now,
    );
    const ready = now >= config.fromMs + config.rampMs;
    const view: Record<string, unknown> = {
      RequestedProvisionedConcurrentExecutions: config.requested,
      AvailableProvisionedConcurrentExecutions: ready ? config.requested : allocated,
      AllocatedProvisionedConcurrentExecutions: ready ? config.requested : allocated,
      Status: ready ? "READY" : "IN_PROGRESS",
      LastModified: config.lastModified,
    };
    if (listing) return { FunctionArn: this.functionArn(record.name, config.qualifier), ...view };
    return view;
  }

  /** Allocated provisioned concurrency of every config in the region except `excluding`. */
  private provisionedTotal(excluding?: { functionName: string; qualifier: string }): number {
    let total = 0;
    for (const record of Object.values(this.state.functions)) {
      for (const config of Object.values(record.provisioned)) {
        if (excluding && record.name === excluding.functionName && config.qualifier === excluding.qualifier) continue;
        total += config.requested;
      }
    }
    return total;
  }

  private reservedTotal(excludingFunction?: string): number {
    let total = 0;
    for (const record of Object.values(this.state.functions)) {
      if (record.name !== excludingFunction && record.reservedConcurrency !== undefined)
        total += record.reservedConcurrency;
    }
    return total;
  }

  putProvisionedConcurrency(
    name: string,
    qualifier: string | undefined,
    requestedInput: unknown,
    at = this.region.nowMs(),
  ): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    if (typeof requestedInput !== "number" || !Number.isInteger(requestedInput)) {
      if (requestedInput === undefined || requestedInput === null) {
        throw lambdaErrors.validation("null", "provisionedConcurrentExecutions", "Member must not be null");
      }
      throw lambdaErrors.serialization("ProvisionedConcurrentExecutions must be an integer");
    }
    const requested = requestedInput;
    if (requested < 1) {
      throw lambdaErrors.validation(
        requested,
        "provisionedConcurrentExecutions",
        "Member must have value greater than or equal to 1",
      );
    }
    const target = this.provisionedQualifier(record, qualifier, "put");
    const key = qualifier as string;
    if (target.alias) {
      if (record.provisioned[target.version]) {
        throw lambdaErrors.conflict(
          "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
        );
      }
      for (const other of Object.values(record.aliases)) {
        if (
          other.name !== target.alias.name &&
          other.functionVersion === target.version &&
          record.provisioned[other.name]
        ) {
          throw lambdaErrors.conflict(
            "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
          );
        }
      }
    } else {
      for (const alias of Object.values(record.aliases)) {
        if (alias.functionVersion === key && record.provisioned[alias.name]) {
          throw lambdaErrors.conflict("Version is pointed by a Provisioned Concurrency alias");
        }
      }
    }
    if (record.reservedConcurrency !== undefined) {
      const others = Object.values(record.provisioned)
        .filter((config) => config.qualifier !== key)
        .reduce((sum, config) => sum + config.requested, 0);
      if (others + requested > record.reservedConcurrency) {
        throw lambdaErrors.invalidParameter(
          "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
        );
      }
    } else {
      const limit = SIMULATOR_PARAMETERS.accountConcurrency;
      const floor = SIMULATOR_PARAMETERS.unreservedFloor;
      const unreserved = limit - this.reservedTotal() - this.provisionedTotal({ functionName: name, qualifier: key });
      if (requested > unreserved) {
        throw lambdaErrors.invalidParameter(
          `Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${unreserved}].`,
        );
      }
      if (unreserved - requested < floor) {
        throw lambdaErrors.invalidParameter(
          `Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${floor}].`,
        );
      }
    }
    const previous = record.provisioned[key];
    const previousAllocated = previous
      ? provisionedAllocatedAt(
          [
            {
              fromMs: previous.fromMs,
              startAllocated: previous.startAllocated,
              target: previous.requested,
              rampMs: previous.rampMs,
            },
          ],
          at,
        )
      : 0;
    const config: ProvisionedRecord = {
      qualifier: key,
      requested,
      fromMs: at,
      startAllocated: previousAllocated,
      // Releasing environments is quick; allocating takes the configured ramp (IN_PROGRESS → READY).
      rampMs: requested > previousAllocated ? this.region.options.provisionedRampMs : 0,
      lastModified: formatPcLastModified(at),
    };
    record.provisioned[key] = config;
    this.recordTrafficChange(record, at);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "PutProvisionedConcurrencyConfig",
      resource: this.functionArn(name, key),
      detail: { ProvisionedConcurrentExecutions: requested },
    });
    const view = this.provisionedView(record, config);
    // The response to Put always reports the request as accepted and not yet allocated.
    if (config.rampMs > 0)
      return {
        ...view,
        Status: "IN_PROGRESS",
        AllocatedProvisionedConcurrentExecutions: previousAllocated,
        AvailableProvisionedConcurrentExecutions: previousAllocated,
      };
    return view;
  }

  getProvisionedConcurrency(name: string, qualifier: string | undefined): Record<string, unknown> {
    const record = this.getFunctionRecord(name);
    this.provisionedQualifier(record, qualifier, "get");
    const config = record.provisioned[qualifier as string];
    if (!config) throw lambdaErrors.provisionedConfigNotFound();
    return this.provisionedView(record, config);
  }

  listProvisionedConcurrency(
    name: string,
    input: { marker?: string; maxItems?: number },
  ): { configs: Record<string, unknown>[]; nextMarker?: string } {
    const record = this.getFunctionRecord(name);
    const pageSize = this.checkMaxItems(input.maxItems, 50);
    const all = Object.values(record.provisioned).sort((a, b) => a.qualifier.localeCompare(b.qualifier));
    const start = this.decodeMarker(input.marker);
    const configs = all.slice(start, start + pageSize).map((config) => this.provisionedView(record, config, true));
    const next = start + pageSize < all.length ? this.encodeMarker(start + pageSize) : undefined;
    return next ? { configs, nextMarker: next } : { configs };
  }

  deleteProvisionedConcurrency(name: string, qualifier: string | undefined, at = this.region.nowMs()): void {
    const record = this.getFunctionRecord(name);
    this.provisionedQualifier(record, qualifier, "get");
    if (!record.provisioned[qualifier as string]) return;
    delete record.provisioned[qualifier as string];
    this.recordTrafficChange(record, at);
    this.region.recordHistory({
      at,
      service: "lambda",
      action: "DeleteProvisionedConcurrencyConfig",
      resource: this.functionArn(name, qualifier),
      detail: {},
    });
  }

  accountSettings(): Record<string, unknown> {
    const limit = SIMULATOR_PARAMETERS.accountConcurrency;
    let totalCodeSize = 0;
    for (const record of Object.values(this.state.functions)) {
      totalCodeSize += record.settings.codeSizeBytes;
      for (const version of Object.values(record.versions)) totalCodeSize += version.settings.codeSizeBytes;
    }
    return {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: limit,
        UnreservedConcurrentExecutions: limit - this.reservedTotal() - this.provisionedTotal(),
      },
      AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: Object.keys(this.state.functions).length },
    };
  }

  // ---------------------------------------------------------------- simulator link

  /**
   * Re-derives what the function's traffic executes from `effectiveMs` on and appends it to the
   * timeline, invalidating any metrics already computed from that instant.
   */
  recordTrafficChange(record: FunctionRecord, effectiveMs: number): void {
    const timeline = record.timeline;
    const alias = timeline.trafficAlias ? record.aliases[timeline.trafficAlias] : undefined;
    const executedVersion = alias ? alias.functionVersion : "$LATEST";
    const source =
      executedVersion === "$LATEST"
        ? { settings: record.settings, code: record.code }
        : record.versions[executedVersion];
    if (source) {
      const segment: ConfigurationSegment = {
        fromMs: effectiveMs,
        memoryMb: source.settings.memoryMb,
        runtime: source.settings.runtime,
        timeoutSeconds: source.settings.timeoutSeconds,
        code: { ...source.code },
        executedVersion,
        ...(record.reservedConcurrency !== undefined ? { reservedConcurrency: record.reservedConcurrency } : {}),
      };
      const last = timeline.configurations[timeline.configurations.length - 1];
      const same = last && JSON.stringify({ ...last, fromMs: 0 }) === JSON.stringify({ ...segment, fromMs: 0 });
      if (!same) insertSegment(timeline.configurations, segment);
    }
    // Provisioned concurrency serving the traffic: on the alias, or on the version it points to.
    const config = alias ? (record.provisioned[alias.name] ?? record.provisioned[alias.functionVersion]) : undefined;
    const provisioned: ProvisionedSegment = config
      ? {
          fromMs: config.fromMs,
          startAllocated: config.startAllocated,
          target: config.requested,
          rampMs: config.rampMs,
        }
      : { fromMs: effectiveMs, startAllocated: 0, target: 0, rampMs: 0 };
    const lastProvisioned = timeline.provisioned[timeline.provisioned.length - 1];
    const sameProvisioned =
      lastProvisioned &&
      lastProvisioned.target === provisioned.target &&
      lastProvisioned.startAllocated === provisioned.startAllocated &&
      lastProvisioned.rampMs === provisioned.rampMs &&
      lastProvisioned.fromMs === provisioned.fromMs;
    if (!sameProvisioned && !(provisioned.target === 0 && (!lastProvisioned || lastProvisioned.target === 0))) {
      insertSegment(timeline.provisioned, provisioned);
    }
    this.region.metrics.invalidate(record.name, Math.min(effectiveMs, provisioned.fromMs));
    this.region.markDirty();
  }
}

function insertSegment<T extends { fromMs: number }>(segments: T[], segment: T): void {
  let index = segments.length;
  while (index > 0 && (segments[index - 1] as T).fromMs > segment.fromMs) index--;
  segments.splice(index, 0, segment);
}

/** Seeds a function as it exists before history starts (no API call made it, so no history entry). */
export function seedFunctionRecord(input: {
  name: string;
  settings: FunctionSettings;
  code: CodeProfile;
  reservedConcurrency?: number;
  trafficAlias?: string;
  workload: WorkloadProfile;
  lastModifiedMs: number;
}): FunctionRecord {
  return {
    name: input.name,
    settings: input.settings,
    code: input.code,
    revisionId: randomUUID(),
    lastModified: formatLastModified(input.lastModifiedMs),
    ...(input.reservedConcurrency !== undefined ? { reservedConcurrency: input.reservedConcurrency } : {}),
    versions: {},
    nextVersion: 1,
    aliases: {},
    provisioned: {},
    timeline: {
      functionName: input.name,
      ...(input.trafficAlias ? { trafficAlias: input.trafficAlias } : {}),
      workload: input.workload,
      configurations: [],
      provisioned: [],
    },
    lastInvokedAtMs: {},
  };
}
