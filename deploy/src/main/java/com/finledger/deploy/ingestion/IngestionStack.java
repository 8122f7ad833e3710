package com.finledger.deploy.ingestion;

import com.finledger.deploy.Access;
import com.finledger.deploy.DeploySettings;
import com.finledger.deploy.datalake.DataLakeStack;
import com.finledger.deploy.network.NetworkStack;
import com.finledger.deploy.processing.GlueSecurity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dms.CfnEndpoint;
import software.amazon.awscdk.services.dms.CfnReplicationInstance;
import software.amazon.awscdk.services.dms.CfnReplicationSubnetGroup;
import software.amazon.awscdk.services.dms.CfnReplicationTask;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * How data arrives: one DMS replication instance running full load + CDC for the three ledgers
 * into the landing bucket (Parquet, with the operation, the commit timestamp and DMS's change
 * sequence on every row), and the processor-API extractor on a five-minute schedule.
 * The partner drop's queue is part of the data lake stack (see {@link PartnerDrop}).
 */
public class IngestionStack extends Stack {

    /** The three ledgers; task ids match {@code dms_task} in ingestion-config/sources/*_ledger.yaml. */
    public static final List<String> LEDGERS = List.of("payments", "refunds", "settlements");
    public static final List<String> PROCESSORS = List.of("processor_alpha", "processor_beta");
    /** The DMS column the warehouse deduplicates on (ingestion-config: change_sequence: _change_seq). */
    public static final String CHANGE_SEQUENCE_COLUMN = "_change_seq";
    public static final String COMMIT_TIMESTAMP_COLUMN = "_commit_ts";
    public static final String DMS_PREFIX = "dms/";
    public static final String API_PREFIX = "api/";

    private final CfnReplicationInstance replicationInstance;
    private final List<CfnReplicationTask> tasks = new ArrayList<>();
    private final Map<String, Secret> processorSecrets = new LinkedHashMap<>();
    private final CfnJob apiExtractor;
    private final Queue scheduleDeadLetters;

    public IngestionStack(Construct scope, String id, StackProps props, DeploySettings settings,
            NetworkStack network, DataLakeStack dataLake) {
        super(scope, id, props);

        // DMS needs these two account-wide roles under exactly these names; an account that already
        // has them deploys with -c finledger:createDmsVpcRole=false.
        Role dmsVpcRole = null;
        if (settings.createDmsVpcRole()) {
            dmsVpcRole = Role.Builder.create(this, "DmsVpcRole")
                    .roleName("dms-vpc-role")
                    .assumedBy(new ServicePrincipal("dms.amazonaws.com"))
                    .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonDMSVPCManagementRole")))
                    .build();
            Access.acknowledge(dmsVpcRole, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonDMSVPCManagementRole]",
                    "DMS looks up dms-vpc-role by name and expects this AWS-managed policy on it (DMS user guide, IAM roles for the CLI and API).");
            Role logsRole = Role.Builder.create(this, "DmsCloudWatchLogsRole")
                    .roleName("dms-cloudwatch-logs-role")
                    .assumedBy(new ServicePrincipal("dms.amazonaws.com"))
                    .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonDMSCloudWatchLogsRole")))
                    .build();
            Access.acknowledge(logsRole, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole]",
                    "DMS writes task logs through dms-cloudwatch-logs-role, which must carry this AWS-managed policy.");
        }

        CfnReplicationSubnetGroup subnetGroup = CfnReplicationSubnetGroup.Builder.create(this, "DmsSubnets")
                .replicationSubnetGroupDescription("FinLedger Integrity DMS: private subnets")
                .subnetIds(network.vpc().selectSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds())
                .build();
        if (dmsVpcRole != null) {
            subnetGroup.getNode().addDependency(dmsVpcRole);
        }
        SecurityGroup dmsSecurityGroup = SecurityGroup.Builder.create(this, "DmsSecurityGroup")
                .vpc(network.vpc())
                .description("DMS replication instance: outbound to the ledger replicas and S3 only")
                .allowAllOutbound(true)
                .build();

        // Sized for the 8K changes/s peak across the three ledgers; Multi-AZ so a failover resumes CDC.
        replicationInstance = CfnReplicationInstance.Builder.create(this, "ReplicationInstance")
                .replicationInstanceIdentifier(settings.name("ledgers"))
                .replicationInstanceClass("dms.r6i.xlarge")
                .allocatedStorage(200)
                .multiAz(true)
                .publiclyAccessible(false)
                .autoMinorVersionUpgrade(true)
                .kmsKeyId(dataLake.dataKey().getKeyArn())
                .replicationSubnetGroupIdentifier(subnetGroup.getRef())
                .vpcSecurityGroupIds(List.of(dmsSecurityGroup.getSecurityGroupId()))
                .build();

        Role secretsRole = Role.Builder.create(this, "DmsSecretsRole")
                .assumedBy(new ServicePrincipal("dms." + getRegion() + ".amazonaws.com"))
                .description("DMS reads the ledger replicas' credentials")
                .build();
        secretsRole.addToPolicy(Access.decrypt(dataLake.dataKey()));
        Role targetRole = Role.Builder.create(this, "DmsLandingRole")
                .assumedBy(new ServicePrincipal("dms.amazonaws.com"))
                .description("DMS writes full load and CDC files under dms/ in the landing bucket")
                .build();
        // DMS's documented S3-target permissions, confined to dms/.
        Access.grantObjects(targetRole, dataLake.landing(),
                List.of("s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"), DMS_PREFIX);
        targetRole.addToPolicy(Access.listPrefixes(dataLake.landing(), DMS_PREFIX));
        targetRole.addToPolicy(Access.encryptDecrypt(dataLake.dataKey()));

        for (String ledger : LEDGERS) {
            tasks.add(ledgerTask(settings, ledger, dataLake, secretsRole, targetRole));
        }

        scheduleDeadLetters = Queue.Builder.create(this, "ScheduleDeadLetters")
                .queueName(settings.name("extractor-schedule-dlq"))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Access.acknowledge(scheduleDeadLetters, "AwsSolutions-SQS3",
                "This queue is itself the dead-letter queue of the extractor's schedule (alarmed in the control plane).");
        apiExtractor = apiExtractor(settings, network, dataLake);
        Schedule.Builder.create(this, "ApiExtractorSchedule")
                .scheduleName(settings.name("api-extractor"))
                .description("Pulls the processors' APIs every five minutes (the pull-window ledger makes reruns safe)")
                .schedule(ScheduleExpression.rate(Duration.minutes(5)))
                .target(Universal.Builder.create()
                        .service("glue")
                        .action("startJobRun")
                        .input(ScheduleTargetInput.fromObject(Map.of("JobName", apiExtractor.getRef())))
                        .policyStatements(List.of(PolicyStatement.Builder.create()
                                .actions(List.of("glue:StartJobRun"))
                                .resources(List.of(jobArn(apiExtractor.getRef())))
                                .build()))
                        .deadLetterQueue(scheduleDeadLetters)
                        .retryAttempts(2)
                        .build())
                .build();
    }

    private CfnReplicationTask ledgerTask(DeploySettings settings, String ledger, DataLakeStack dataLake,
            Role secretsRole, Role targetRole) {
        String name = ledger + "-ledger";
        // The ledger team owns host, user and password; DMS reads them from here at task start.
        Secret credentials = Secret.Builder.create(this, cap(ledger) + "LedgerCredentials")
                .secretName(settings.name(name + "-replica"))
                .description("Read replica of the " + ledger + " ledger for DMS (host, port, username, password)")
                .encryptionKey(dataLake.dataKey())
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"finledger_dms\",\"host\":\"set-by-ledger-team\",\"port\":5432}")
                        .generateStringKey("password")
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Access.readSecret(secretsRole, credentials, dataLake.dataKey());
        Access.acknowledge(credentials, "AwsSolutions-SMG4",
                "The ledger team owns this database user and rotates its password on the replica; DMS reads the secret at each task start.");

        CfnEndpoint source = CfnEndpoint.Builder.create(this, cap(ledger) + "Source")
                .endpointIdentifier(settings.name(name + "-source"))
                .endpointType("source")
                .engineName("postgres")
                .databaseName(ledger)
                .sslMode("require")
                .postgreSqlSettings(CfnEndpoint.PostgreSqlSettingsProperty.builder()
                        .secretsManagerAccessRoleArn(secretsRole.getRoleArn())
                        .secretsManagerSecretId(credentials.getSecretArn())
                        .build())
                .build();
        CfnEndpoint target = CfnEndpoint.Builder.create(this, cap(ledger) + "Landing")
                .endpointIdentifier(settings.name(name + "-landing"))
                .endpointType("target")
                .engineName("s3")
                .s3Settings(CfnEndpoint.S3SettingsProperty.builder()
                        .bucketName(dataLake.landing().getBucketName())
                        .bucketFolder(DMS_PREFIX + ledger + "_ledger")
                        .serviceAccessRoleArn(targetRole.getRoleArn())
                        .encryptionMode("SSE_KMS")
                        .serverSideEncryptionKmsKeyId(dataLake.dataKey().getKeyArn())
                        .dataFormat("parquet")
                        .parquetVersion("parquet-2-0")
                        .includeOpForFullLoad(true)
                        .timestampColumnName(COMMIT_TIMESTAMP_COLUMN)
                        .parquetTimestampInMillisecond(true)
                        .addColumnName(true)
                        .datePartitionEnabled(true)
                        .datePartitionSequence("YYYYMMDD")
                        .cdcMaxBatchInterval(60)
                        .cdcMinFileSize(32000)
                        .build())
                .build();
        target.getNode().addDependency(targetRole);

        CfnReplicationTask task = CfnReplicationTask.Builder.create(this, cap(ledger) + "Cdc")
                .replicationTaskIdentifier(settings.name(name + "-cdc"))
                .migrationType("full-load-and-cdc")
                .replicationInstanceArn(replicationInstance.getRef())
                .sourceEndpointArn(source.getRef())
                .targetEndpointArn(target.getRef())
                .tableMappings(tableMappings())
                .replicationTaskSettings(TASK_SETTINGS)
                .build();
        return task;
    }

    /** Every table of the ledger's public schema, each row stamped with DMS's change sequence. */
    static String tableMappings() {
        return """
                {"rules":[
                 {"rule-type":"selection","rule-id":"1","rule-name":"ledger-tables",
                  "object-locator":{"schema-name":"public","table-name":"%"},"rule-action":"include"},
                 {"rule-type":"transformation","rule-id":"2","rule-name":"change-sequence",
                  "rule-target":"column","object-locator":{"schema-name":"public","table-name":"%"},
                  "rule-action":"add-column","value":"CHANGE_SEQUENCE_COLUMN","expression":"$AR_H_CHANGE_SEQ",
                  "data-type":{"type":"string","length":50}}
                ]}""".replace("CHANGE_SEQUENCE_COLUMN", CHANGE_SEQUENCE_COLUMN).replace("\n", "");
    }

    private static final String TASK_SETTINGS = """
            {"Logging":{"EnableLogging":true},
             "FullLoadSettings":{"TargetTablePrepMode":"DO_NOTHING","MaxFullLoadSubTasks":8},
             "ChangeProcessingTuning":{"BatchApplyEnabled":false,"CommitTimeout":1},
             "ErrorBehavior":{"DataErrorPolicy":"LOG_ERROR","TableErrorPolicy":"SUSPEND_TABLE",
                              "RecoverableErrorCount":-1,"FailOnNoTablesCaptured":true}}"""
            .replace("\n", "");

    private CfnJob apiExtractor(DeploySettings settings, NetworkStack network, DataLakeStack dataLake) {
        GlueSecurity security = new GlueSecurity(this, "GlueSecurity", settings.name("ingestion"),
                dataLake.dataKey(), network.logKey());
        Role role = Role.Builder.create(this, "ApiExtractorRole")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .description("API extractor: reads processor API keys, writes api/ in the landing bucket")
                .build();
        Access.readPrefixes(role, dataLake.artifacts(), "glue/");
        Access.readPrefixes(role, dataLake.landing(), API_PREFIX);
        Access.writePrefixes(role, dataLake.landing(), API_PREFIX);
        role.addToPolicy(Access.encryptDecrypt(dataLake.dataKey()));
        security.grantLogging(role);
        for (String processor : PROCESSORS) {
            Secret secret = Secret.Builder.create(this, cap(processor.replace("processor_", "")) + "ApiKey")
                    .secretName(settings.name(processor.replace('_', '-') + "-api-key"))
                    .description("API key issued by " + processor + " (FINLEDGER_" + processor.toUpperCase() + "_API_KEY)")
                    .encryptionKey(dataLake.dataKey())
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            Access.readSecret(role, secret, dataLake.dataKey());
            Access.acknowledge(secret, "AwsSolutions-SMG4",
                    "The processor issues this API key; it is rotated in the processor's portal and pasted here (runbook in deploy/README.md).");
            processorSecrets.put(processor, secret);
        }
        return CfnJob.Builder.create(this, "ApiExtractor")
                .name(settings.name("api-extractor"))
                .description("Pulls transactions, settlements and fees from the processor APIs into landing/api/")
                .role(role.getRoleArn())
                .command(CfnJob.JobCommandProperty.builder()
                        .name("pythonshell")
                        .pythonVersion("3.9")
                        .scriptLocation(dataLake.artifacts().s3UrlForObject("glue/api_extractor.py"))
                        .build())
                .maxCapacity(0.0625)
                .glueVersion("3.0")
                .timeout(15)
                .executionProperty(CfnJob.ExecutionPropertyProperty.builder().maxConcurrentRuns(1).build())
                .securityConfiguration(security.name())
                .defaultArguments(Map.of(
                        "--landing_bucket", dataLake.landing().getBucketName(),
                        "--landing_prefix", API_PREFIX,
                        "--secret_prefix", settings.name("")))
                .build();
    }

    public String jobArn(String jobName) {
        return "arn:aws:glue:" + getRegion() + ":" + getAccount() + ":job/" + jobName;
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public CfnReplicationInstance replicationInstance() {
        return replicationInstance;
    }

    public List<CfnReplicationTask> tasks() {
        return tasks;
    }

    public Map<String, Secret> processorSecrets() {
        return processorSecrets;
    }

    public CfnJob apiExtractor() {
        return apiExtractor;
    }

    public Queue scheduleDeadLetters() {
        return scheduleDeadLetters;
    }
}
