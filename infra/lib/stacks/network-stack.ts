import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { NetworkConfig } from "../config/stage-config.js";

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
const HTTPS_PORT = 443;

export interface NetworkStackProps extends StackProps {
  readonly network: NetworkConfig;
}

/**
 * The VPC, its endpoints and the security groups of the function, the proxy, the cache and the
 * secret-rotation functions, with the rules between them:
 *   function → proxy:5432, function → cache:6379, function → HTTPS (S3 gateway endpoint and
 *   Secrets Manager endpoint only: the subnets have no route to the internet),
 *   rotation → Secrets Manager endpoint:443.
 * The database's own group lives in the data stack, because CDK derives the proxy → database
 * and rotation → database rules from the cluster's port attribute, and a rule in this stack that
 * read that attribute would make the two stacks depend on each other.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.IVpc;
  /** The isolated subnets that host the function, the proxy, the cache and the database. */
  readonly appSubnets: ec2.SubnetSelection;
  readonly functionSecurityGroup: ec2.SecurityGroup;
  readonly proxySecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly rotationSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { network } = props;

    this.vpc = network.mode === "create" ? this.createVpc(network) : this.importVpc(network);
    this.appSubnets = { subnets: this.vpc.isolatedSubnets };

    // allowAllOutbound: false everywhere: each permitted flow is written out below.
    this.functionSecurityGroup = this.securityGroup("FunctionSecurityGroup", "process-user-request function");
    this.proxySecurityGroup = this.securityGroup("ProxySecurityGroup", "RDS Proxy in front of Aurora PostgreSQL");
    this.cacheSecurityGroup = this.securityGroup("CacheSecurityGroup", "ElastiCache serverless (Valkey/Redis)");
    this.rotationSecurityGroup = this.securityGroup("RotationSecurityGroup", "Secrets Manager rotation functions");

    const postgres = ec2.Port.tcp(POSTGRES_PORT);
    const redis = ec2.Port.tcp(REDIS_PORT);
    const https = ec2.Port.tcp(HTTPS_PORT);

    this.functionSecurityGroup.connections.allowTo(this.proxySecurityGroup, postgres, "function to RDS Proxy");
    this.functionSecurityGroup.connections.allowTo(this.cacheSecurityGroup, redis, "function to cache (TLS)");
    // The isolated subnets route only to the VPC endpoints, so HTTPS egress reaches S3 (gateway
    // endpoint) and Secrets Manager (interface endpoint) and nothing on the internet.
    this.functionSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), https, "HTTPS to S3 and Secrets Manager endpoints");

    // Secret rotation (and DB_AUTH=secret) call Secrets Manager from subnets without internet.
    const endpointSecurityGroup = this.securityGroup("SecretsManagerEndpointSecurityGroup", "Secrets Manager endpoint");
    this.vpc.addInterfaceEndpoint("SecretsManagerEndpoint", {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: this.appSubnets,
      securityGroups: [endpointSecurityGroup],
      privateDnsEnabled: true,
      open: false,
    });
    endpointSecurityGroup.connections.allowFrom(this.rotationSecurityGroup, https, "rotation to Secrets Manager");
    endpointSecurityGroup.connections.allowFrom(this.functionSecurityGroup, https, "function to Secrets Manager");
    this.rotationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), https, "HTTPS to the Secrets Manager endpoint");
  }

  private createVpc(network: Extract<NetworkConfig, { mode: "create" }>): ec2.Vpc {
    const flowLogGroup = new logs.LogGroup(this, "FlowLogGroup", {
      retention: network.flowLogRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(network.cidr),
      availabilityZones: network.availabilityZones,
      // No NAT gateways: nothing here needs the internet, and S3/Secrets Manager come through endpoints.
      natGateways: 0,
      subnetConfiguration: [{ name: "app", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        // Rejected flows are the useful signal for a locked-down VPC and keep log volume small.
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.REJECT,
          maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
        },
      },
      restrictDefaultSecurityGroup: true,
    });
    return vpc;
  }

  private importVpc(network: Extract<NetworkConfig, { mode: "import" }>): ec2.IVpc {
    // fromVpcAttributes (not fromLookup) so synthesis never needs an AWS account.
    const vpc = ec2.Vpc.fromVpcAttributes(this, "ExistingVpc", {
      vpcId: network.vpcId,
      availabilityZones: network.availabilityZones,
      isolatedSubnetIds: network.isolatedSubnetIds,
      isolatedSubnetRouteTableIds: network.isolatedSubnetRouteTableIds,
    });
    if (network.createS3GatewayEndpoint) {
      vpc.addGatewayEndpoint("S3", {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [{ subnets: vpc.isolatedSubnets }],
      });
    }
    return vpc;
  }

  private securityGroup(id: string, purpose: string): ec2.SecurityGroup {
    return new ec2.SecurityGroup(this, id, {
      vpc: this.vpc,
      description: `Phoenix: ${purpose}`,
      allowAllOutbound: false,
    });
  }
}
