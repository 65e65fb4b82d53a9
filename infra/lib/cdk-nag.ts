/**
 * cdk-nag (v3) reports through CDK's policy-validation plugins and reads acknowledgements made
 * with `Validations.of(construct).acknowledge()`. This module is the one place the app touches it.
 *
 * cdk-nag ships CommonJS (marked __esModule) whose named exports Node's ESM loader cannot detect,
 * so it is loaded through require(); that works the same under Node, tsx and vitest.
 */
import { createRequire } from "node:module";
import { type Stack, Token, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

const require = createRequire(import.meta.url);
const cdkNag = require("cdk-nag") as typeof import("cdk-nag");

export const { AwsSolutionsChecks } = cdkNag;

/**
 * Acknowledges cdk-nag findings on a construct (and everything below it), with the reason that
 * makes each one acceptable. Finding-level ids such as `AwsSolutions-IAM5[Resource::*]` must be
 * listed one by one: cdk-nag v3 has no prefix or pattern matching, which keeps every accepted
 * wildcard visible in code review.
 */
export function acknowledgeNagFindings(scope: IConstruct, reason: string, ruleIds: readonly string[]): void {
  Validations.of(scope).acknowledge(...ruleIds.map((id) => ({ id, reason })));
}

/**
 * How cdk-nag spells this stack's partition, region and account inside finding ids: the literal
 * value when the stack knows it, the `<AWS::…>` placeholder when it is a deploy-time token.
 */
export function nagArnParts(stack: Stack): { partition: string; region: string; account: string } {
  const spell = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return {
    partition: spell(stack.partition, "Partition"),
    region: spell(stack.region, "Region"),
    account: spell(stack.account, "AccountId"),
  };
}
