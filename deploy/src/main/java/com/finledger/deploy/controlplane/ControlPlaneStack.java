package com.finledger.deploy.controlplane;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import com.finledger.deploy.datalake.DataLakeStack;
import com.finledger.deploy.ingestion.IngestionStack;
import com.finledger.deploy.ingestion.PartnerDrop;
import com.finledger.deploy.network.KmsPolicies;
import com.finledger.deploy.network.NetworkStack;
import com.finledger.deploy.processing.ProcessingStack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dms.CfnReplicationTask;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.CaCertificate;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.amazon.awscdk.services.wafv2.CfnLoggingConfiguration;
import software.constructs.Construct;

/**
 * The FinLedger Integrity application itself: the Quarkus jar on ECS Fargate behind an internal
 * ALB that terminates TLS (with a WAF in front), its PostgreSQL on RDS (encrypted, Multi-AZ, TLS
 * forced), its secrets, the alert topic, and the alarms that watch the whole pipeline.
 */
public class ControlPlaneStack extends Stack {

    public static final int APP_PORT = 8080;
    /** Not PostgreSQL's default 5432: non-targeted scans look there first (AwsSolutions-RDS11). */
    public static final int DB_PORT = 5433;

    private final Key key;
    private final DatabaseInstance database;
    private final Topic alerts;
    private final FargateService service;
    private final ApplicationLoadBalancer loadBalancer;
    private final Map<String, Alarm> alarms = new LinkedHashMap<>();

    public ControlPlaneStack(Construct scope, String id, StackProps props, DeploySettings settings,
            NetworkStack network, DataLakeStack dataLake, IngestionStack ingestion, ProcessingStack processing) {
        super(scope, id, props);
        key = Key.Builder.create(this, "ControlPlaneKey")
                .alias(settings.name("control-plane"))
                .description("FinLedger Integrity: RDS, application secrets, alert topic")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // CloudWatch alarms publish to the encrypted alert topic.
        KmsPolicies.allowServiceToUseForMessaging(key, "cloudwatch.amazonaws.com", "AllowCloudWatchAlarms");

        alerts = Topic.Builder.create(this, "Alerts")
                .topicName(settings.name("alerts"))
                .displayName("FinLedger Integrity alerts")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        if (!settings.alertEmail().isBlank()) {
            alerts.addSubscription(new EmailSubscription(settings.alertEmail()));
        }

        // --- database -------------------------------------------------------------------------
        SecurityGroup dbSg = SecurityGroup.Builder.create(this, "DatabaseSecurityGroup")
                .vpc(network.vpc()).description("RDS: PostgreSQL from the application only").allowAllOutbound(false).build();
        ParameterGroup parameters = ParameterGroup.Builder.create(this, "DatabaseParameters")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_17_5).build()))
                .description("TLS only, connection logging")
                .parameters(Map.of(
                        "rds.force_ssl", "1",
                        "ssl_min_protocol_version", "TLSv1.2",
                        "log_connections", "1",
                        "log_disconnections", "1"))
                .build();
        database = DatabaseInstance.Builder.create(this, "Database")
                .instanceIdentifier(settings.name("app"))
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_17_5).build()))
                .instanceType(software.amazon.awscdk.services.ec2.InstanceType.of(
                        software.amazon.awscdk.services.ec2.InstanceClass.M7G, software.amazon.awscdk.services.ec2.InstanceSize.LARGE))
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .securityGroups(List.of(dbSg))
                .databaseName("finledger")
                .credentials(Credentials.fromGeneratedSecret("finledger", software.amazon.awscdk.services.rds.CredentialsBaseOptions.builder()
                        .secretName(settings.name("app-database")).encryptionKey(key).build()))
                .multiAz(true)
                .storageEncrypted(true)
                .storageEncryptionKey(key)
                .storageType(StorageType.GP3)
                .allocatedStorage(100)
                .maxAllocatedStorage(500)
                .caCertificate(CaCertificate.RDS_CA_RSA2048_G1)
                .parameterGroup(parameters)
                .backupRetention(Duration.days(35))
                .deletionProtection(true)
                .autoMinorVersionUpgrade(true)
                .iamAuthentication(true)
                .enablePerformanceInsights(true)
                .performanceInsightEncryptionKey(key)
                .monitoringInterval(Duration.seconds(60))
                .port(DB_PORT)
                .cloudwatchLogsExports(List.of("postgresql", "upgrade"))
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        // The log groups RDS exports to, created here with a year's retention and the log key
        // (the CDK's cloudwatchLogsRetention would add a Lambda function to set it afterwards).
        for (String log : List.of("postgresql", "upgrade")) {
            LogGroup group = LogGroup.Builder.create(this, "DatabaseLog" + log)
                    .logGroupName("/aws/rds/instance/" + settings.name("app") + "/" + log)
                    .encryptionKey(network.logKey())
                    .retention(RetentionDays.ONE_YEAR)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            database.getNode().addDependency(group);
        }
        database.addRotationSingleUser();
        Access.acknowledge(dbSg, "PCI.DSS.321-EC2RestrictedCommonPorts",
                "The only ingress rules come from the application's and the rotation function's security groups; "
                        + "the rotation rule's port is a token (the database port) the rule cannot evaluate.");
        Access.acknowledge(dbSg, "PCI.DSS.321-EC2RestrictedSSH",
                "Same as EC2RestrictedCommonPorts: source is a security group, the port token is the database port, never 22.");
        Access.acknowledge(database, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]",
                "Enhanced Monitoring's role must carry this AWS-managed policy; it only writes RDS OS metrics to CloudWatch Logs.");

        Secret oidcClientSecret = Secret.Builder.create(this, "OidcClientSecret")
                .secretName(settings.name("oidc-client-secret"))
                .description("OIDC client secret of the FinLedger Integrity application (set from the identity provider)")
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Access.acknowledge(oidcClientSecret, "AwsSolutions-SMG4",
                "The identity provider issues and rotates this client secret; operations paste the new value (runbook in deploy/README.md).");

        // --- application ------------------------------------------------------------------------
        Cluster cluster = Cluster.Builder.create(this, "Cluster")
                .clusterName(settings.name("control-plane"))
                .vpc(network.vpc())
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "AppTask")
                .cpu(1024).memoryLimitMiB(2048).build();
        LogGroup appLogs = LogGroup.Builder.create(this, "AppLogs")
                .encryptionKey(network.logKey())
                .retention(RetentionDays.ONE_YEAR) // PCI DSS 10.5.1: a year of audit trail
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_PROFILE", "prod");
        environment.put("FINLEDGER_AWS_REGION", getRegion());
        environment.put("FINLEDGER_DB_HOST", database.getDbInstanceEndpointAddress());
        environment.put("FINLEDGER_DB_PORT", database.getDbInstanceEndpointPort());
        environment.put("FINLEDGER_DB_SSLMODE", "verify-full");
        environment.put("FINLEDGER_LANDING_BUCKET", dataLake.landing().getBucketName());
        environment.put("FINLEDGER_INTAKE_QUEUE_URL", dataLake.partnerDrop().queue().getQueueUrl());
        environment.put("FINLEDGER_INTAKE_DLQ_URL", dataLake.partnerDrop().deadLetters().getQueueUrl());
        environment.put("FINLEDGER_AWS_EVENTS_QUEUE_URL", processing.events().getQueueUrl());
        Map<String, software.amazon.awscdk.services.ecs.Secret> secrets = new LinkedHashMap<>();
        secrets.put("FINLEDGER_DB_USER", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(database.getSecret(), "username"));
        secrets.put("FINLEDGER_DB_PASSWORD", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(database.getSecret(), "password"));
        secrets.put("FINLEDGER_PAN_TOKEN_KEY", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(
                foreignSecret("PanTokenKeyRef", dataLake.panTokenKey(), dataLake.dataKey(), task)));
        secrets.put("FINLEDGER_OIDC_CLIENT_SECRET", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(oidcClientSecret));
        ingestion.processorSecrets().forEach((processor, secret) -> secrets.put(
                "FINLEDGER_" + processor.toUpperCase() + "_API_KEY", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(
                        foreignSecret(processor + "ApiKeyRef", secret, dataLake.dataKey(), task))));
        task.addContainer("App", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(
                        Repository.fromRepositoryName(this, "AppRepository", settings.ecrRepository()), settings.imageTag()))
                .portMappings(List.of(PortMapping.builder().containerPort(APP_PORT).build()))
                .environment(environment)
                .secrets(secrets)
                .readonlyRootFilesystem(false)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(appLogs).streamPrefix("app").build()))
                .build());

        Access.acknowledge(task, "AwsSolutions-ECS2",
                "Plain environment variables hold only endpoints, names and the region; every credential and key "
                        + "(database, OIDC, PAN token key, processor API keys) is injected from Secrets Manager.");
        Access.acknowledge(task, "AwsSolutions-IAM5[Resource::*]",
                "ecr:GetAuthorizationToken, added by ECS to the execution role, has no resource-level permissions.");

        // What the application reads and consumes; it never writes to the data buckets.
        Access.readPrefixes((software.amazon.awscdk.services.iam.Role) task.getTaskRole(), dataLake.landing(),
                PartnerDrop.PREFIX, "manifests/");
        task.getTaskRole().addToPrincipalPolicy(Access.decrypt(dataLake.dataKey()));
        for (IQueue queue : List.of(dataLake.partnerDrop().queue(), dataLake.partnerDrop().deadLetters(), processing.events())) {
            task.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                            "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                    .resources(List.of(queue.getQueueArn()))
                    .build());
        }
        task.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dms:DescribeReplicationTasks", "dms:DescribeTableStatistics"))
                .resources(ingestion.tasks().stream().map(CfnReplicationTask::getRef).toList())
                .build());
        task.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sns:Publish"))
                .resources(List.of(alerts.getTopicArn()))
                .build());
        task.getTaskRole().addToPrincipalPolicy(Access.encryptDecrypt(key));

        SecurityGroup albSg = SecurityGroup.Builder.create(this, "AlbSecurityGroup")
                .vpc(network.vpc()).description("ALB: HTTPS from the corporate network only").allowAllOutbound(false).build();
        albSg.addIngressRule(Peer.ipv4(NetworkStack.CIDR), Port.tcp(443), "HTTPS within the VPC and its peered networks");
        SecurityGroup appSg = SecurityGroup.Builder.create(this, "AppSecurityGroup")
                .vpc(network.vpc()).description("Application tasks: from the ALB only").allowAllOutbound(true).build();
        appSg.addIngressRule(albSg, Port.tcp(APP_PORT), "ALB to the application");
        albSg.addEgressRule(appSg, Port.tcp(APP_PORT), "ALB to the application");
        dbSg.addIngressRule(appSg, Port.tcp(DB_PORT), "Application to PostgreSQL");

        service = FargateService.Builder.create(this, "AppService")
                .serviceName(settings.name("app"))
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(2)
                .minHealthyPercent(100)
                .assignPublicIp(false)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(appSg))
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .build();

        // Internal: finance, operations and auditors reach it over the corporate network; the CDE stays off the internet.
        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "Alb")
                .vpc(network.vpc())
                .internetFacing(false)
                .securityGroup(albSg)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .dropInvalidHeaderFields(true)
                .deletionProtection(true)
                .build();
        loadBalancer.logAccessLogs(dataLake.logs(), "alb");
        ApplicationTargetGroup targets = ApplicationTargetGroup.Builder.create(this, "AppTargets")
                .vpc(network.vpc())
                .port(APP_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targetType(TargetType.IP)
                .targets(List.of(service))
                .healthCheck(HealthCheck.builder().path("/q/health/ready").healthyHttpCodes("200").build())
                .build();
        ApplicationListener.Builder.create(this, "Https")
                .loadBalancer(loadBalancer)
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn())))
                .defaultTargetGroups(List.of(targets))
                .open(false)
                .build();
        webAcl(settings);

        // --- alarms -------------------------------------------------------------------------------
        alarm("AlbTarget5xx", targets.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT,
                software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()),
                10, "The application answers with server errors");
        alarm("UnhealthyTargets", targets.getMetrics().unhealthyHostCount(), 1, "An application task fails its readiness check");
        alarm("DatabaseCpu", database.metricCPUUtilization(), 80, "RDS CPU above 80%");
        alarm("DatabaseFreeStorage", database.metricFreeStorageSpace(), 10L * 1024 * 1024 * 1024,
                "RDS free storage below 10 GiB", ComparisonOperator.LESS_THAN_THRESHOLD);
        alarm("PartnerDropDeadLetters", dataLake.partnerDrop().deadLetters().metricApproximateNumberOfMessagesVisible(), 1,
                "A partner-file notification could not be processed");
        alarm("AwsEventDeadLetters", processing.eventDeadLetters().metricApproximateNumberOfMessagesVisible(), 1,
                "An AWS pipeline event could not be processed");
        alarm("UndeliverableAwsEvents", processing.ruleDeadLetters().metricApproximateNumberOfMessagesVisible(), 1,
                "EventBridge could not deliver a pipeline event to the application");
        alarm("ExtractorScheduleDeadLetters", ingestion.scheduleDeadLetters().metricApproximateNumberOfMessagesVisible(), 1,
                "The API extractor's schedule could not start the job");
        for (CfnReplicationTask cdc : ingestion.tasks()) {
            String name = cdc.getReplicationTaskIdentifier();
            // Operational tables must stay < 10 min behind the ledgers; alarm at 5.
            alarm("CdcLatency" + name.replaceAll("[^A-Za-z]", ""), Metric.Builder.create()
                    .namespace("AWS/DMS").metricName("CDCLatencySource")
                    .dimensionsMap(Map.of(
                            "ReplicationInstanceIdentifier", ingestion.replicationInstance().getReplicationInstanceIdentifier(),
                            "ReplicationTaskIdentifier", name))
                    .statistic("Maximum").period(Duration.minutes(1)).build(),
                    300, "DMS task " + name + " is more than 5 minutes behind its ledger");
        }
    }

    /**
     * A secret from another stack, seen without its key so that ECS's automatic grant touches only
     * the execution role's policy; the key permission is added here explicitly.
     */
    private ISecret foreignSecret(String id, ISecret secret, IKey key, FargateTaskDefinition task) {
        Access.readSecret(task.obtainExecutionRole(), secret, key);
        return Secret.fromSecretCompleteArn(this, id, secret.getSecretArn());
    }

    private void webAcl(DeploySettings settings) {
        CfnWebACL acl = CfnWebACL.Builder.create(this, "WebAcl")
                .name(settings.name("app"))
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility("finledger-app"))
                .rules(List.of(
                        managedRule("AWSManagedRulesCommonRuleSet", 1),
                        managedRule("AWSManagedRulesKnownBadInputsRuleSet", 2),
                        managedRule("AWSManagedRulesSQLiRuleSet", 3)))
                .build();
        // WAF only logs to log groups named aws-waf-logs-*; a year's retention like every audit log here.
        String logGroupName = "aws-waf-logs-" + settings.name("app");
        LogGroup wafLogs = LogGroup.Builder.create(this, "WebAclLogs")
                .logGroupName(logGroupName)
                .encryptionKey(key)
                .retention(RetentionDays.ONE_YEAR)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        KmsPolicies.allowCloudWatchLogs(key, this);
        CfnLoggingConfiguration logging = CfnLoggingConfiguration.Builder.create(this, "WebAclLogging")
                .resourceArn(acl.getAttrArn())
                .logDestinationConfigs(List.of("arn:aws:logs:" + getRegion() + ":" + getAccount() + ":log-group:" + logGroupName))
                .build();
        logging.getNode().addDependency(wafLogs);
        CfnWebACLAssociation.Builder.create(this, "WebAclAlb")
                .resourceArn(loadBalancer.getLoadBalancerArn())
                .webAclArn(acl.getAttrArn())
                .build();
    }

    private static CfnWebACL.RuleProperty managedRule(String name, int priority) {
        return CfnWebACL.RuleProperty.builder()
                .name(name)
                .priority(priority)
                .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
                .statement(CfnWebACL.StatementProperty.builder()
                        .managedRuleGroupStatement(CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                                .vendorName("AWS").name(name).build())
                        .build())
                .visibilityConfig(visibility(name))
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true).metricName(metric).build();
    }

    private void alarm(String id, IMetric metric, double threshold, String description) {
        alarm(id, metric, threshold, description, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    }

    private void alarm(String id, IMetric metric, double threshold, String description, ComparisonOperator comparison) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription("FinLedger Integrity: " + description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(comparison)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alerts));
        alarms.put(id, alarm);
    }

    public Key key() {
        return key;
    }

    public DatabaseInstance database() {
        return database;
    }

    public Topic alerts() {
        return alerts;
    }

    public FargateService service() {
        return service;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public Map<String, Alarm> alarms() {
        return alarms;
    }
}
