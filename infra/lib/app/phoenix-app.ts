import { readFileSync } from "node:fs";
import { App, type Environment, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "../cdk-nag.js";
import { loadPcSchedule, type PcSchedule, STAGE_NAMES, type StageName } from "../config/pc-schedule.js";
import { loadStagesFile, type StagesFile } from "../config/stage-config.js";
import { DataStack } from "../stacks/data-stack.js";
import { FunctionStack } from "../stacks/function-stack.js";
import { MonitoringStack } from "../stacks/monitoring-stack.js";
import { NetworkStack } from "../stacks/network-stack.js";
import { PhoenixAccessStack } from "../stacks/phoenix-access-stack.js";

export interface PhoenixStagesOptions {
  /** Directory with the handler bundle (`lambda/dist/bundle` in the real app). */
  readonly lambdaBundlePath: string;
  /** Stages to synthesize; both by default. */
  readonly stages?: readonly StageName[];
  /** Account to deploy to when the stage config names none (bin/ passes CDK_DEFAULT_ACCOUNT). */
  readonly defaultAccount?: string;
  /** Overrides for tests; the JSON files under infra/config/ otherwise. */
  readonly stagesFile?: StagesFile;
  readonly pcSchedule?: PcSchedule;
  /**
   * Run cdk-nag's AwsSolutions pack as a validation plugin during synthesis (default). Tests turn
   * it off and call the pack's validateScope() themselves to assert on the findings.
   */
  readonly nagPlugin?: boolean;
}

export interface PhoenixAppOptions extends PhoenixStagesOptions {
  /** Cloud assembly directory; the CDK CLI sets it through the environment when omitted. */
  readonly outdir?: string;
}

export interface PhoenixStageStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly function: FunctionStack;
  readonly monitoring: MonitoringStack;
  readonly phoenixAccess: PhoenixAccessStack;
}

export interface PhoenixApp {
  readonly app: App;
  readonly stages: Partial<Record<StageName, PhoenixStageStacks>>;
}

/** The feature flags pinned in infra/cdk.json, so tests and scripts synthesize what the CLI does. */
export function readPinnedFeatureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** Stack names read "Phoenix-staging-Function"; stages stay visibly apart in the console. */
export function stackName(stage: StageName, part: string): string {
  return `Phoenix-${stage}-${part}`;
}

/** A CDK app with infra/cdk.json's feature flags, wherever it is created from. */
export function createPhoenixCdkApp(outdir?: string): App {
  return new App({ ...(outdir === undefined ? {} : { outdir }), context: readPinnedFeatureFlags() });
}

/** Creates the app and adds the stages: what scripts and tests use. */
export function buildPhoenixApp(options: PhoenixAppOptions): PhoenixApp {
  return addPhoenixStages(createPhoenixCdkApp(options.outdir), options);
}

/**
 * Adds, for each stage, the network, data, function, monitoring and Phoenix-access stacks, and
 * cdk-nag's AwsSolutions checks over everything.
 */
export function addPhoenixStages(app: App, options: PhoenixStagesOptions): PhoenixApp {
  const stagesFile = options.stagesFile ?? loadStagesFile();
  const pcSchedule = options.pcSchedule ?? loadPcSchedule();

  const stages: Partial<Record<StageName, PhoenixStageStacks>> = {};
  for (const stage of options.stages ?? STAGE_NAMES) {
    stages[stage] = addStage(app, stage, stagesFile, pcSchedule, options);
  }

  if (options.nagPlugin ?? true) {
    // Registered as a validation plugin, synthesis stops on any unacknowledged finding.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  return { app, stages };
}

function addStage(
  app: App,
  stage: StageName,
  stagesFile: StagesFile,
  pcSchedule: PcSchedule,
  options: PhoenixStagesOptions,
): PhoenixStageStacks {
  const config = stagesFile.stages[stage];
  const account = config.account ?? options.defaultAccount;
  const env: Environment = account === undefined ? { region: config.region } : { account, region: config.region };
  const common = { env };
  const stateful = { ...common, terminationProtection: config.terminationProtection };

  const network = new NetworkStack(app, stackName(stage, "Network"), {
    ...stateful,
    description: `Phoenix ${stage}: VPC, endpoints and security groups`,
    network: config.network,
  });

  const data = new DataStack(app, stackName(stage, "Data"), {
    ...stateful,
    description: `Phoenix ${stage}: Aurora PostgreSQL, RDS Proxy, config cache, export bucket`,
    vpc: network.vpc,
    appSubnets: network.appSubnets,
    proxySecurityGroup: network.proxySecurityGroup,
    cacheSecurityGroup: network.cacheSecurityGroup,
    rotationSecurityGroup: network.rotationSecurityGroup,
    database: config.database,
    cache: config.cache,
    exports: config.exports,
  });

  const managedTag = { key: config.phoenixAccess.managedTagKey, value: config.phoenixAccess.managedTagValue };
  const functionStack = new FunctionStack(app, stackName(stage, "Function"), {
    ...common,
    description: `Phoenix ${stage}: process-user-request, live alias, PC schedule, HTTP API`,
    codeAssetPath: options.lambdaBundlePath,
    functionConfig: config.function,
    apiConfig: config.api,
    managedTag,
    pcSchedule,
    stageSchedule: pcSchedule.stages[stage],
    vpc: network.vpc,
    appSubnets: network.appSubnets,
    functionSecurityGroup: network.functionSecurityGroup,
    proxy: data.proxy,
    databaseName: data.databaseName,
    databaseUser: data.appUser,
    cacheEndpointAddress: data.cacheEndpointAddress,
    cacheEndpointPort: data.cacheEndpointPort,
    exportBucket: data.exportBucket,
    exportWriterPolicy: data.exportWriterPolicy,
  });

  const monitoring = new MonitoringStack(app, stackName(stage, "Monitoring"), {
    ...common,
    description: `Phoenix ${stage}: latency, timeout, throttle and PC alarms`,
    function: functionStack.handler.function,
    alias: functionStack.handler.alias,
    logGroup: functionStack.handler.logGroup,
    alarms: config.alarms,
    metricNamespace: `Phoenix/${stage}`,
  });

  const phoenixAccess = new PhoenixAccessStack(app, stackName(stage, "PhoenixAccess"), {
    ...common,
    description: `Phoenix ${stage}: least-privilege role for the Phoenix dashboard`,
    access: config.phoenixAccess,
    functionLogGroupArns: [functionStack.handler.logGroup.logGroupArn],
  });

  for (const stack of [network, data, functionStack, monitoring, phoenixAccess]) {
    Tags.of(stack).add("project", "phoenix");
    Tags.of(stack).add("phoenix:stage", stage);
  }
  return { network, data, function: functionStack, monitoring, phoenixAccess };
}
