package com.finledger.deploy.processing;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import com.finledger.deploy.datalake.DataLakeStack;
import com.finledger.deploy.ingestion.IngestionStack;
import com.finledger.deploy.ingestion.PartnerDrop;
import com.finledger.deploy.network.KmsPolicies;
import com.finledger.deploy.network.NetworkStack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.mwaa.CfnEnvironment;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The S3-side heavy lifting and the orchestration: two Glue Spark jobs (compaction of DMS output
 * with control-total manifests; the tokenising raw archive writer), the MWAA environment that runs
 * the FinLedger provider's DAGs and the dbt project, and the EventBridge rules that bring DMS, Glue,
 * AppFlow and S3 events to the application's queue.
 */
public class ProcessingStack extends Stack {

    public static final String MWAA_ENVIRONMENT = "airflow";
    /** Where CI uploads the DAGs, the dbt project (ingestion-config/) and the provider wheel. */
    public static final String MWAA_PREFIX = "mwaa/";
    public static final String AIRFLOW_VERSION = "2.10.3";

    private final Map<String, CfnJob> jobs = new LinkedHashMap<>();
    private final Queue events;
    private final Queue eventDeadLetters;
    private final Queue ruleDeadLetters;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final CfnEnvironment airflow;

    public ProcessingStack(Construct scope, String id, StackProps props, DeploySettings settings,
            NetworkStack network, DataLakeStack dataLake, IngestionStack ingestion) {
        super(scope, id, props);
        Key key = Key.Builder.create(this, "ProcessingKey")
                .alias(settings.name("processing"))
                .description("FinLedger Integrity: MWAA environment, its logs and task queue")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        KmsPolicies.allowCloudWatchLogs(key, this);

        GlueSecurity security = new GlueSecurity(this, "GlueSecurity", settings.name("processing"),
                dataLake.dataKey(), network.logKey());

        Role compactionRole = glueRole("CompactionRole", "Compacts DMS and API files in landing; writes manifests",
                dataLake, security);
        Access.readPrefixes(compactionRole, dataLake.landing(),
                IngestionStack.DMS_PREFIX, IngestionStack.API_PREFIX, "compacted/", "manifests/");
        Access.writePrefixes(compactionRole, dataLake.landing(), "compacted/", "manifests/");
        jobs.put("landing-compaction", sparkJob(settings, "landing-compaction", compactionRole, security, dataLake, 10,
                "Compacts DMS CDC and API files per partition and writes their control-total manifests"));

        Role archiveRole = glueRole("ArchiveRole", "Tokenises PANs and writes the raw archive (write-once)",
                dataLake, security);
        Access.readPrefixes(archiveRole, dataLake.landing(), "compacted/", "manifests/", PartnerDrop.PREFIX);
        // PutObject only: no delete, no retention change, no bypass of governance — Object Lock does the rest.
        Access.writePrefixes(archiveRole, dataLake.archive(), "raw/");
        Access.readSecret(archiveRole, dataLake.panTokenKey(), dataLake.dataKey());
        jobs.put("raw-archive", sparkJob(settings, "raw-archive", archiveRole, security, dataLake, 10,
                "Replaces PANs by keyed-hash tokens and writes each day's raw data to the Object Lock archive"));

        eventDeadLetters = Queue.Builder.create(this, "AwsEventsDeadLetters")
                .queueName(settings.name("aws-events-dlq"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        events = Queue.Builder.create(this, "AwsEvents")
                .queueName(settings.name("aws-events"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.minutes(2))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(eventDeadLetters).maxReceiveCount(5).build())
                .build();
        ruleDeadLetters = Queue.Builder.create(this, "RuleDeadLetters")
                .queueName(settings.name("aws-events-undeliverable"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Access.acknowledge(ruleDeadLetters, "AwsSolutions-SQS3",
                "This queue is itself the dead-letter queue of the EventBridge targets (alarmed in the control plane).");
        rule("DmsEvents", "dms", EventPattern.builder().source(List.of("aws.dms")).build());
        rule("GlueEvents", "glue", EventPattern.builder().source(List.of("aws.glue"))
                .detailType(List.of("Glue Job State Change", "Glue Job Run Status")).build());
        rule("AppFlowEvents", "appflow", EventPattern.builder().source(List.of("aws.appflow"))
                .detailType(List.of("AppFlow End Flow Run Report")).build());
        rule("LandingEvents", "s3", EventPattern.builder().source(List.of("aws.s3"))
                .detailType(List.of("Object Created"))
                .detail(Map.of("bucket", Map.of("name", List.of(dataLake.landing().getBucketName()))))
                .build());

        airflow = mwaa(settings, network, dataLake, key);
    }

    private Role glueRole(String id, String description, DataLakeStack dataLake, GlueSecurity security) {
        Role role = Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .description(description)
                .build();
        Access.readPrefixes(role, dataLake.artifacts(), "glue/", "glue-temp/");
        Access.writePrefixes(role, dataLake.artifacts(), "glue-temp/");
        role.addToPolicy(Access.encryptDecrypt(dataLake.dataKey()));
        security.grantLogging(role);
        return role;
    }

    private CfnJob sparkJob(DeploySettings settings, String name, Role role, GlueSecurity security,
            DataLakeStack dataLake, int workers, String description) {
        return CfnJob.Builder.create(this, "Job" + name.replace("-", ""))
                .name(settings.name(name))
                .description(description)
                .role(role.getRoleArn())
                .command(CfnJob.JobCommandProperty.builder()
                        .name("glueetl")
                        .pythonVersion("3")
                        .scriptLocation(dataLake.artifacts().s3UrlForObject("glue/" + name.replace('-', '_') + ".py"))
                        .build())
                .glueVersion("5.0")
                .workerType("G.1X")
                .numberOfWorkers(workers)
                .timeout(120)
                .securityConfiguration(security.name())
                .executionProperty(CfnJob.ExecutionPropertyProperty.builder().maxConcurrentRuns(4).build())
                .defaultArguments(Map.of(
                        "--enable-metrics", "true",
                        "--enable-continuous-cloudwatch-log", "true",
                        "--enable-auto-scaling", "true",
                        "--job-bookmark-option", "job-bookmark-enable",
                        "--TempDir", dataLake.artifacts().s3UrlForObject("glue-temp/")))
                .build();
    }

    private void rule(String id, String service, EventPattern pattern) {
        Rule rule = Rule.Builder.create(this, id)
                .description("FinLedger Integrity: " + service + " events to the application's AWS event queue")
                .eventPattern(pattern)
                .targets(List.of(SqsQueue.Builder.create(events)
                        .deadLetterQueue(ruleDeadLetters)
                        .retryAttempts(8)
                        .maxEventAge(Duration.hours(6))
                        .build()))
                .build();
        rules.put(service, rule);
    }

    private CfnEnvironment mwaa(DeploySettings settings, NetworkStack network, DataLakeStack dataLake, Key key) {
        String envName = settings.name(MWAA_ENVIRONMENT);
        String arnPrefix = ":" + getRegion() + ":" + getAccount() + ":";
        Role role = Role.Builder.create(this, "AirflowRole")
                .assumedBy(new software.amazon.awscdk.services.iam.CompositePrincipal(
                        new ServicePrincipal("airflow.amazonaws.com"), new ServicePrincipal("airflow-env.amazonaws.com")))
                .description("MWAA execution role: DAGs, dbt and the FinLedger provider")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("airflow:PublishMetrics"))
                .resources(List.of("arn:aws:airflow" + arnPrefix + "environment/" + envName))
                .build());
        Access.readPrefixes(role, dataLake.artifacts(), MWAA_PREFIX);
        role.addToPolicy(Access.decrypt(dataLake.dataKey()));
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents",
                        "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"))
                .resources(List.of("arn:aws:logs" + arnPrefix + "log-group:airflow-" + envName + "-*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"))
                .resources(List.of("arn:aws:sqs:" + getRegion() + ":*:airflow-celery-*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:Encrypt"))
                .resources(List.of(key.getKeyArn()))
                .build());
        // CloudWatch metrics have no resource-level permissions; the namespace condition narrows it.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", List.of("AmazonMWAA", "FinLedger"))))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns"))
                .resources(jobs.values().stream().map(job -> "arn:aws:glue" + arnPrefix + "job/" + job.getRef()).toList())
                .build());
        // Airflow connections (Snowflake, the FinLedger API) come from Secrets Manager by name.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"))
                .resources(List.of("arn:aws:secretsmanager" + arnPrefix + "secret:airflow/connections/*",
                        "arn:aws:secretsmanager" + arnPrefix + "secret:airflow/variables/*"))
                .build());

        SecurityGroup sg = SecurityGroup.Builder.create(this, "AirflowSecurityGroup")
                .vpc(network.vpc())
                .description("MWAA: workers and web server talk to each other; outbound to AWS APIs and Snowflake")
                .allowAllOutbound(true)
                .build();
        sg.getConnections().allowInternally(software.amazon.awscdk.services.ec2.Port.allTraffic(),
                "MWAA components reach each other");
        Access.acknowledge(sg, "PCI.DSS.321-EC2RestrictedCommonPorts",
                "The only ingress rule is MWAA's required self-reference (all traffic from this same group), not from any network.");
        List<String> subnets = network.vpc().selectSubnets(SubnetSelection.builder()
                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds();

        CfnEnvironment.ModuleLoggingConfigurationProperty info = CfnEnvironment.ModuleLoggingConfigurationProperty.builder()
                .enabled(true).logLevel("INFO").build();
        Access.acknowledge(role, "AwsSolutions-IAM5[Resource::arn:aws:logs:" + getRegion() + ":" + getAccount()
                + ":log-group:airflow-" + envName + "-*]", "MWAA creates one log group per Airflow component under this name prefix.");
        Access.acknowledge(role, "AwsSolutions-IAM5[Resource::arn:aws:sqs:" + getRegion() + ":*:airflow-celery-*]",
                "MWAA's Celery queue lives in an AWS-owned account whose id is not known in advance (AWS MWAA execution-role documentation).");
        Access.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the AmazonMWAA and FinLedger namespaces.");
        Access.acknowledge(role, "AwsSolutions-IAM5[Resource::arn:aws:secretsmanager:" + getRegion() + ":" + getAccount()
                + ":secret:airflow/connections/*]", "Airflow's Secrets Manager backend reads connections by name under this prefix only.");
        Access.acknowledge(role, "AwsSolutions-IAM5[Resource::arn:aws:secretsmanager:" + getRegion() + ":" + getAccount()
                + ":secret:airflow/variables/*]", "Airflow's Secrets Manager backend reads variables by name under this prefix only.");
        return CfnEnvironment.Builder.create(this, "Airflow")
                .name(envName)
                .airflowVersion(AIRFLOW_VERSION)
                .environmentClass("mw1.medium")
                .minWorkers(1)
                .maxWorkers(5)
                .schedulers(2)
                .executionRoleArn(role.getRoleArn())
                .kmsKey(key.getKeyArn())
                .sourceBucketArn(dataLake.artifacts().getBucketArn())
                .dagS3Path(MWAA_PREFIX + "dags")
                .requirementsS3Path(MWAA_PREFIX + "requirements.txt")
                .pluginsS3Path(MWAA_PREFIX + "plugins.zip")
                .webserverAccessMode("PRIVATE_ONLY")
                .networkConfiguration(CfnEnvironment.NetworkConfigurationProperty.builder()
                        .securityGroupIds(List.of(sg.getSecurityGroupId()))
                        .subnetIds(subnets)
                        .build())
                .loggingConfiguration(CfnEnvironment.LoggingConfigurationProperty.builder()
                        .dagProcessingLogs(info).schedulerLogs(info).taskLogs(info)
                        .webserverLogs(info).workerLogs(info).build())
                .airflowConfigurationOptions(Map.of(
                        "secrets.backend", "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
                        "secrets.backend_kwargs",
                        "{\"connections_prefix\": \"airflow/connections\", \"variables_prefix\": \"airflow/variables\"}",
                        "core.default_timezone", "utc"))
                .build();
    }

    public Map<String, CfnJob> jobs() {
        return jobs;
    }

    public Queue events() {
        return events;
    }

    public Queue eventDeadLetters() {
        return eventDeadLetters;
    }

    public Queue ruleDeadLetters() {
        return ruleDeadLetters;
    }

    public Map<String, Rule> rules() {
        return rules;
    }

    public CfnEnvironment airflow() {
        return airflow;
    }
}
