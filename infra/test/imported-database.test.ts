import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { buildPhoenixApp } from "../lib/app/phoenix-app.js";
import { loadStagesFile, parseStagesFile } from "../lib/config/stage-config.js";
import { runAwsSolutionsChecks } from "./helpers/synthesis.js";

/** Staging configured the way the team would use it: their existing VPC and Aurora cluster. */
function stagesWithExistingCluster() {
  const stages = structuredClone(loadStagesFile());
  stages.stages.staging.network = {
    mode: "import",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    isolatedSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
    isolatedSubnetRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"],
    createS3GatewayEndpoint: true,
  };
  stages.stages.staging.database = {
    mode: "import",
    engineVersion: "16.4",
    clusterIdentifier: "team-aurora-staging",
    securityGroupId: "sg-0123456789abcdef0",
    databaseName: "app",
    appUser: "process_user_request",
    secretRotationDays: 30,
  };
  return parseStagesFile(stages);
}

describe("staging with the team's existing VPC and Aurora cluster", () => {
  let network: Template;
  let data: Template;
  let nagFindings: string[];
  beforeAll(() => {
    const { stages, app } = buildPhoenixApp({
      lambdaBundlePath: inject("lambdaBundlePath"),
      stages: ["staging"],
      stagesFile: stagesWithExistingCluster(),
      nagPlugin: false,
    });
    if (!stages.staging) throw new Error("staging was not built");
    network = Template.fromStack(stages.staging.network);
    data = Template.fromStack(stages.staging.data);
    nagFindings = runAwsSolutionsChecks(app).violations.map((violation) => violation.ruleName);
  });

  it("creates no VPC and no database, only the proxy in front of the named cluster", () => {
    network.resourceCountIs("AWS::EC2::VPC", 0);
    data.resourceCountIs("AWS::RDS::DBCluster", 0);
    data.hasResourceProperties("AWS::RDS::DBProxy", {
      RequireTLS: true,
      VpcSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
    });
    data.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", { DBClusterIdentifiers: ["team-aurora-staging"] });
  });

  it("opens the existing cluster's security group to the proxy and rotation on 5432 only", () => {
    const ingress = Object.values(data.findResources("AWS::EC2::SecurityGroupIngress")) as {
      Properties: Record<string, unknown>;
    }[];
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) {
      expect(rule.Properties).toMatchObject({ GroupId: "sg-0123456789abcdef0", FromPort: 5432, ToPort: 5432 });
    }
  });

  it("adds the S3 gateway endpoint to the existing route tables", () => {
    network.hasResourceProperties("AWS::EC2::VPCEndpoint", {
      VpcId: "vpc-0a1b2c3d4e5f60718",
      VpcEndpointType: "Gateway",
      RouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0bbbbbbbbbbbbbbb2"],
    });
  });

  it("passes cdk-nag too", () => {
    expect(nagFindings).toEqual([]);
  });
});
