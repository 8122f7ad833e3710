package com.finledger.deploy;

import com.finledger.deploy.controlplane.ControlPlaneStack;
import com.finledger.deploy.datalake.DataLakeStack;
import com.finledger.deploy.ingestion.IngestionStack;
import com.finledger.deploy.nag.Suppressions;
import com.finledger.deploy.network.NetworkStack;
import com.finledger.deploy.processing.ProcessingStack;
import com.finledger.deploy.snowflake.SnowflakeStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.PCIDSS321Checks;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Validations;
import io.github.cdklabs.cdknag.NagPack;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code cdk synth} runs {@link #main}; the tests call {@link #build} on their own
 * App so they check exactly what deploys, rule packs included.
 */
public final class FinLedgerApp {

    public record Stacks(NetworkStack network, DataLakeStack dataLake, IngestionStack ingestion,
            ProcessingStack processing, ControlPlaneStack controlPlane, SnowflakeStack snowflake) {

        public List<Stack> all() {
            return List.of(network, dataLake, ingestion, processing, controlPlane, snowflake);
        }
    }

    private FinLedgerApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        DeploySettings settings = DeploySettings.fromContext(app);
        build(app, settings);
        // CDK's policy validation runs the packs at synth and fails it on any unacknowledged finding.
        Validations.of(app).addPlugins(rulePacks(app).toArray(NagPack[]::new));
        if (!settings.placeholders().isEmpty()) {
            System.err.println("FinLedger deploy: placeholder context still in use (fine for synth, not for deploy): "
                    + settings.placeholders());
        }
        app.synth();
    }

    public static Stacks build(App app, DeploySettings settings) {
        StackProps props = StackProps.builder().env(settings.environment()).build();
        NetworkStack network = new NetworkStack(app, "FinLedgerNetwork", props, settings);
        DataLakeStack dataLake = new DataLakeStack(app, "FinLedgerDataLake", props, settings);
        IngestionStack ingestion = new IngestionStack(app, "FinLedgerIngestion", props, settings, network, dataLake);
        ProcessingStack processing = new ProcessingStack(app, "FinLedgerProcessing", props, settings, network, dataLake, ingestion);
        ControlPlaneStack controlPlane = new ControlPlaneStack(app, "FinLedgerControlPlane", props, settings,
                network, dataLake, ingestion, processing);
        SnowflakeStack snowflake = new SnowflakeStack(app, "FinLedgerSnowflake", props, settings, dataLake);
        Stacks stacks = new Stacks(network, dataLake, ingestion, processing, controlPlane, snowflake);

        Tags.of(app).add("application", "finledger-integrity");
        Tags.of(app).add("data-classification", "pci-cde");
        Suppressions.apply(stacks);
        return stacks;
    }

    /** The two rule packs every stack must pass: AWS Solutions and PCI DSS 3.2.1. */
    public static List<NagPack> rulePacks(App app) {
        return List.of(
                new AwsSolutionsChecks(app, NagPackProps.builder().verbose(true).build()),
                new PCIDSS321Checks(app, NagPackProps.builder().verbose(true).build()));
    }
}
