import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as s3 from "aws-cdk-lib/aws-s3";
import { describe, expect, inject, it } from "vitest";
import { NAG_REPORT_FILE, type RecordedAcknowledgement, runAwsSolutionsChecks } from "./helpers/synthesis.js";

interface NagReport {
  readonly violations: { ruleName: string; severity: string; violatingResources: { constructPath: string }[] }[];
  readonly acknowledgements: RecordedAcknowledgement[];
}

function readReport(): NagReport {
  return JSON.parse(readFileSync(join(inject("assemblyDir"), NAG_REPORT_FILE), "utf8")) as NagReport;
}

/**
 * Every accepted finding, per stage. A new acknowledgement must be added here on purpose, so
 * review sees it; its reason lives next to the construct it acknowledges.
 */
const ACCEPTED_FINDINGS_PER_STAGE = [
  "Data/Database AwsSolutions-RDS11",
  "Data/ExportAccessLogBucket AwsSolutions-S1",
  "Data/ExportWriterPolicy AwsSolutions-IAM5[Action::s3:Abort*]",
  "Data/ExportWriterPolicy AwsSolutions-IAM5[Resource::<ExportBucket4E99310E.Arn>/exports/*]",
  "Data/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
  "Data/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a AwsSolutions-IAM5[Resource::*]",
  "Function/ProcessUserRequest/Handler AwsSolutions-L1",
  "Function/ProcessUserRequest/Handler/ServiceRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
  "Function/ProcessUserRequest/Handler/ServiceRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]",
  "Function/ProcessUserRequest/Handler/ServiceRole AwsSolutions-IAM5[Resource::*]",
  "PhoenixAccess/DashboardAccess/Policy AwsSolutions-IAM5[Resource::*]",
  "PhoenixAccess/DashboardAccess/Policy AwsSolutions-IAM5[Resource::arn:aws:lambda:us-east-1:<AWS::AccountId>:function:*]",
  "PhoenixAccess/DashboardAccess/Policy AwsSolutions-IAM5[Resource::arn:aws:lambda:us-east-1:<AWS::AccountId>:function:*:*]",
  "PhoenixAccess/DashboardAccess/Policy AwsSolutions-IAM5[Resource::arn:aws:application-autoscaling:us-east-1:<AWS::AccountId>:scalable-target/*]",
];

describe("cdk-nag AwsSolutions over both stages", () => {
  it("finds nothing that is not acknowledged (errors and warnings alike)", () => {
    // Act
    const { violations } = readReport();

    // Assess: listing rule and constructs makes a failure readable on its own.
    const findings = violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
  });

  it("acknowledges exactly the reviewed findings, each with a reason", () => {
    // Act
    const nagAcknowledgements = readReport().acknowledgements.filter((ack) => ack.ruleId.startsWith("AwsSolutions-"));

    // Assess
    const described = nagAcknowledgements.map((ack) => `${ack.constructPath} ${ack.ruleId}`).sort();
    const expected = ["staging", "production"]
      .flatMap((stage) => ACCEPTED_FINDINGS_PER_STAGE.map((finding) => `Phoenix-${stage}-${finding}`))
      .sort();
    expect(described).toEqual(expected);
    for (const ack of nagAcknowledgements) {
      expect(ack.reason.length, `${ack.constructPath} ${ack.ruleId}`).toBeGreaterThan(40);
    }
  });

  it("does report findings on a construct that breaks the rules (the checks are live)", () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, "NagControl", { env: { region: "us-east-1" } });
    const vpc = new ec2.Vpc(stack, "Vpc", { natGateways: 0, availabilityZones: ["us-east-1a", "us-east-1b"] });
    new s3.Bucket(stack, "OpenBucket");
    const open = new ec2.SecurityGroup(stack, "Open", { vpc });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5432));

    // Act
    const report = runAwsSolutionsChecks(app);

    // Assess
    const rules = report.violations.map((violation) => violation.ruleName);
    expect(rules).toEqual(
      expect.arrayContaining(["AwsSolutions-S1", "AwsSolutions-S10", "AwsSolutions-EC23", "AwsSolutions-VPC7"]),
    );
  });
});
