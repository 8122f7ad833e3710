package com.finledger.deploy.network;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC every other stack runs in: two AZs (RDS Multi-AZ and the DMS standby need two), public
 * subnets only for NAT, private subnets for DMS/Glue/MWAA/Fargate/ALB, isolated subnets for RDS.
 * S3 traffic (1.5 TB/day from DMS and Glue) goes through the free gateway endpoint, not NAT.
 */
public class NetworkStack extends Stack {

    /** Literal, so that security-group rules stay checkable by the rule packs. */
    public static final String CIDR = "10.40.0.0/16";

    private final Vpc vpc;
    private final Key logKey;

    public NetworkStack(Construct scope, String id, StackProps props, DeploySettings settings) {
        super(scope, id, props);
        logKey = Key.Builder.create(this, "LogKey")
                .alias(settings.name("logs"))
                .description("FinLedger Integrity: CloudWatch Logs encryption (flow logs, service logs)")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        KmsPolicies.allowCloudWatchLogs(logKey, this);

        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(CIDR))
                .maxAzs(2)
                .natGateways(2)
                .restrictDefaultSecurityGroup(true)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24)
                                .mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build(),
                        SubnetConfiguration.builder().name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .gatewayEndpoints(java.util.Map.of("S3", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.S3).build()))
                .build();

        // Public subnets hold only the NAT gateways (and nothing launches there with a public IP).
        for (var subnet : vpc.getPublicSubnets()) {
            Access.acknowledge(subnet, "PCI.DSS.321-VPCNoUnrestrictedRouteToIGW",
                    "Public subnets exist only for the NAT gateways, whose route to the internet gateway is the point of them; "
                            + "no workload runs in them and nothing there gets a public IP.");
        }

        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .encryptionKey(logKey)
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        vpc.addFlowLog("AllTraffic", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.ALL)
                .build());
    }

    public Vpc vpc() {
        return vpc;
    }

    public Key logKey() {
        return logKey;
    }
}
