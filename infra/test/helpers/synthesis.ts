import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PolicyValidationPluginReport, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { findLambdaBundle } from "../../bin/lambda-bundle.js";
import { stackName } from "../../lib/app/phoenix-app.js";
import { AwsSolutionsChecks } from "../../lib/cdk-nag.js";
import type { StageName } from "../../lib/config/pc-schedule.js";

export const NAG_REPORT_FILE = "nag-report.json";

const fixtureBundle = fileURLToPath(new URL("../fixtures/handler", import.meta.url));

/**
 * The handler bundle for tests: lambda's build output when it exists, otherwise a one-line
 * fixture handler (test/fixtures/handler). The tests assert infrastructure, not handler code,
 * and must not depend on whether (or when) lambda/ was built.
 */
export function lambdaBundleForTests(): string {
  return findLambdaBundle() ?? fixtureBundle;
}

export function runAwsSolutionsChecks(scope: IConstruct): PolicyValidationPluginReport {
  return new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(scope);
}

export interface RecordedAcknowledgement {
  readonly constructPath: string;
  readonly ruleId: string;
  readonly reason: string;
}

/** Every cdk-nag acknowledgement in the tree, with the construct it sits on and its reason. */
export function collectAcknowledgements(scope: IConstruct): RecordedAcknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([ruleId, reason]) => ({
          constructPath: construct.node.path,
          ruleId: ruleId.replace(/^annotation::/i, ""),
          reason: typeof reason === "string" ? reason : JSON.stringify(reason),
        })),
      ),
  );
}

const templateCache = new Map<string, Template>();

/** A synthesized template from the shared assembly, parsed once per test file. */
export function loadTemplate(assemblyDir: string, stage: StageName, part: string): Template {
  const file = join(assemblyDir, `${stackName(stage, part)}.template.json`);
  const cached = templateCache.get(file);
  if (cached) return cached;
  const template = Template.fromJSON(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
  templateCache.set(file, template);
  return template;
}

/** The single resource of a type in a template (fails the test when there are more or none). */
export function onlyResource(template: Template, type: string): { logicalId: string; resource: CfnResourceJson } {
  const resources = Object.entries(template.findResources(type));
  if (resources.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  }
  const [logicalId, resource] = resources[0] as [string, CfnResourceJson];
  return { logicalId, resource };
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: unknown;
}
