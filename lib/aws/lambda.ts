import {
  type FunctionConfiguration,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { callAws } from "./errors";

/**
 * Lambda reads (control plane: 15 requests/s shared, so callers cache): functions, one function's
 * configuration, aliases, versions, provisioned-concurrency configurations and account settings.
 */

/** Every item of a Lambda list operation, page after page (Marker → NextMarker). */
async function allPages<Page extends { NextMarker?: string }, Item>(
  fetchPage: (marker: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[],
): Promise<{ items: Item[]; calls: number }> {
  const items: Item[] = [];
  let calls = 0;
  let marker: string | undefined;
  do {
    calls++;
    const page = await fetchPage(marker);
    items.push(...itemsOf(page));
    marker = page.NextMarker;
  } while (marker);
  return { items, calls };
}

/** AWS writes LastModified as 2025-07-22T14:30:00.000+0000. */
export function parseLambdaTime(value: string | undefined): number {
  if (!value) return 0;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(ms) ? 0 : ms;
}

export interface LambdaFunctionInfo {
  name: string;
  arn: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  /** Deployment package size in bytes (layers not included; see `layersBytes`). */
  codeSizeBytes: number;
  layersBytes: number;
  lastModified: string;
  description: string;
  logGroup: string;
  state?: string;
  lastUpdateStatus?: string;
}

export interface LambdaAliasInfo {
  name: string;
  functionVersion: string;
  description: string;
}

export interface ProvisionedConcurrencyInfo {
  /** The alias or version carrying it. */
  qualifier: string;
  requested: number;
  allocated: number;
  available: number;
  status: string;
  statusReason?: string;
  lastModified?: string;
}

function reshapeFunction(configuration: FunctionConfiguration): LambdaFunctionInfo {
  const name = configuration.FunctionName ?? "";
  return {
    name,
    arn: configuration.FunctionArn ?? "",
    runtime: configuration.Runtime ?? (configuration.PackageType === "Image" ? "container image" : ""),
    memoryMb: configuration.MemorySize ?? 128,
    timeoutSeconds: configuration.Timeout ?? 3,
    architecture: configuration.Architectures?.[0] ?? "x86_64",
    codeSizeBytes: configuration.CodeSize ?? 0,
    layersBytes: (configuration.Layers ?? []).reduce((sum, layer) => sum + (layer.CodeSize ?? 0), 0),
    lastModified: configuration.LastModified ?? "",
    description: configuration.Description ?? "",
    logGroup: configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    ...(configuration.State ? { state: configuration.State } : {}),
    ...(configuration.LastUpdateStatus ? { lastUpdateStatus: configuration.LastUpdateStatus } : {}),
  };
}

/** Every function of the account and region ($LATEST configurations), following Marker. */
export async function listFunctions(client: LambdaClient): Promise<{ functions: LambdaFunctionInfo[]; calls: number }> {
  const { items: functions, calls } = await allPages(
    (marker) =>
      callAws("Lambda.ListFunctions", "list the Lambda functions", () =>
        client.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 })),
      ),
    (page) => (page.Functions ?? []).map(reshapeFunction),
  );
  functions.sort((a, b) => a.name.localeCompare(b.name));
  return { functions, calls };
}

/** One function's $LATEST configuration; a missing function is an AppError NOT_FOUND. */
export async function getFunction(client: LambdaClient, name: string): Promise<LambdaFunctionInfo> {
  const output = await callAws("Lambda.GetFunction", `read the function ${name}`, () =>
    client.send(new GetFunctionCommand({ FunctionName: name })),
  );
  return reshapeFunction(output.Configuration ?? { FunctionName: name });
}

export async function listAliases(client: LambdaClient, name: string): Promise<LambdaAliasInfo[]> {
  const { items } = await allPages(
    (marker) =>
      callAws("Lambda.ListAliases", `list the aliases of ${name}`, () =>
        client.send(new ListAliasesCommand({ FunctionName: name, Marker: marker })),
      ),
    (page) =>
      (page.Aliases ?? []).map((alias) => ({
        name: alias.Name ?? "",
        functionVersion: alias.FunctionVersion ?? "",
        description: alias.Description ?? "",
      })),
  );
  return items;
}

export interface VersionInfo {
  version: string;
  description: string;
  memoryMb: number;
  runtime: string;
  lastModifiedMs: number;
}

/** Every version, $LATEST included, with what the checks and power tuning's clean-up read of it. */
export async function listVersionDetails(client: LambdaClient, name: string): Promise<VersionInfo[]> {
  const { items } = await allPages(
    (marker) =>
      callAws("Lambda.ListVersionsByFunction", `list the versions of ${name}`, () =>
        client.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker })),
      ),
    (page) =>
      (page.Versions ?? []).map((version) => ({
        version: version.Version ?? "$LATEST",
        description: version.Description ?? "",
        memoryMb: version.MemorySize ?? 128,
        runtime: version.Runtime ?? "",
        lastModifiedMs: parseLambdaTime(version.LastModified),
      })),
  );
  return items;
}

export async function listProvisionedConcurrency(
  client: LambdaClient,
  name: string,
): Promise<ProvisionedConcurrencyInfo[]> {
  const { items } = await allPages(
    (marker) =>
      callAws("Lambda.ListProvisionedConcurrencyConfigs", `read the provisioned concurrency of ${name}`, () =>
        client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, Marker: marker })),
      ),
    (page) =>
      (page.ProvisionedConcurrencyConfigs ?? []).map((config) => ({
        qualifier: config.FunctionArn?.split(":").at(-1) ?? "",
        requested: config.RequestedProvisionedConcurrentExecutions ?? 0,
        allocated: config.AllocatedProvisionedConcurrentExecutions ?? 0,
        available: config.AvailableProvisionedConcurrentExecutions ?? 0,
        status: config.Status ?? "UNKNOWN",
        ...(config.StatusReason ? { statusReason: config.StatusReason } : {}),
        ...(config.LastModified ? { lastModified: config.LastModified } : {}),
      })),
  );
  return items;
}

export interface AccountConcurrency {
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
}

export async function getAccountSettings(client: LambdaClient): Promise<AccountConcurrency> {
  const output = await callAws("Lambda.GetAccountSettings", "read the Lambda account settings", () =>
    client.send(new GetAccountSettingsCommand({})),
  );
  return {
    concurrentExecutions: output.AccountLimit?.ConcurrentExecutions ?? 0,
    unreservedConcurrentExecutions: output.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
  };
}
