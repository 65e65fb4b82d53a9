import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadTemplate } from "./helpers/synthesis.js";

interface RuleJson {
  readonly Properties: Record<string, unknown>;
}

function groupRef(template: Template, description: string): { "Fn::GetAtt": [string, string] } {
  const [logicalId] = Object.keys(
    template.findResources("AWS::EC2::SecurityGroup", { Properties: { GroupDescription: description } }),
  );
  if (!logicalId) throw new Error(`no security group "${description}"`);
  return { "Fn::GetAtt": [logicalId, "GroupId"] };
}

describe("network stack (production)", () => {
  let template: Template;
  beforeAll(() => {
    template = loadTemplate(inject("assemblyDir"), "production", "Network");
  });

  it("lets the function reach the proxy on 5432 and the cache on 6379, and nothing else reaches them", () => {
    // Prepare
    const functionGroup = groupRef(template, "Phoenix: process-user-request function");
    const proxyGroup = groupRef(template, "Phoenix: RDS Proxy in front of Aurora PostgreSQL");
    const cacheGroup = groupRef(template, "Phoenix: ElastiCache serverless (Valkey/Redis)");

    // Act
    const ingress = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")) as RuleJson[];
    const intoProxy = ingress.filter((rule) => JSON.stringify(rule.Properties.GroupId) === JSON.stringify(proxyGroup));
    const intoCache = ingress.filter((rule) => JSON.stringify(rule.Properties.GroupId) === JSON.stringify(cacheGroup));

    // Assess
    expect(intoProxy.map((rule) => rule.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: functionGroup,
      }),
    ]);
    expect(intoCache.map((rule) => rule.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 6379,
        ToPort: 6379,
        SourceSecurityGroupId: functionGroup,
      }),
    ]);
    template.hasResourceProperties("AWS::EC2::SecurityGroupEgress", {
      GroupId: functionGroup,
      DestinationSecurityGroupId: proxyGroup,
      FromPort: 5432,
      ToPort: 5432,
    });
    template.hasResourceProperties("AWS::EC2::SecurityGroupEgress", {
      GroupId: functionGroup,
      DestinationSecurityGroupId: cacheGroup,
      FromPort: 6379,
      ToPort: 6379,
    });
  });

  it("opens no ingress to any CIDR, and outbound HTTPS only for the function and rotation", () => {
    // Assess
    const ingress = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")) as RuleJson[];
    expect(ingress.every((rule) => rule.Properties.CidrIp === undefined)).toBe(true);
    const groups = Object.values(template.findResources("AWS::EC2::SecurityGroup")) as RuleJson[];
    for (const group of groups) {
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      const egress = (group.Properties.SecurityGroupEgress ?? []) as Record<string, unknown>[];
      for (const rule of egress) {
        // Either CDK's "disallow all" placeholder or HTTPS only.
        expect(rule.CidrIp === "255.255.255.255/32" || (rule.FromPort === 443 && rule.ToPort === 443)).toBe(true);
      }
    }
  });

  it("has isolated subnets only, an S3 gateway endpoint, a Secrets Manager endpoint and flow logs", () => {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::InternetGateway", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 2);
    template.hasResourceProperties("AWS::EC2::VPCEndpoint", {
      VpcEndpointType: "Gateway",
      ServiceName: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([".s3"])] }),
    });
    template.hasResourceProperties("AWS::EC2::VPCEndpoint", {
      VpcEndpointType: "Interface",
      ServiceName: "com.amazonaws.us-east-1.secretsmanager",
      PrivateDnsEnabled: true,
    });
    template.hasResourceProperties("AWS::EC2::FlowLog", { TrafficType: "REJECT", ResourceType: "VPC" });
  });
});
