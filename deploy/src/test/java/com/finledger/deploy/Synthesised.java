package com.finledger.deploy;

import io.github.cdklabs.cdknag.NagPack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The whole app built and synthesised once per test JVM (jsii start-up and synthesis take seconds),
 * with the rule packs' findings collected before synthesis. Offline: explicit account and region,
 * no lookups.
 */
public final class Synthesised {

    public static final Path OUT_DIR = Path.of(System.getProperty("cdk.outdir", "target/cdk.out"));

    private static Synthesised instance;

    public final App app;
    public final FinLedgerApp.Stacks stacks;
    public final CloudAssembly assembly;
    public final Map<String, List<PolicyViolation>> violationsByPack = new LinkedHashMap<>();
    private final Map<Stack, Template> templates = new LinkedHashMap<>();

    private Synthesised() {
        app = new App(AppProps.builder()
                .outdir(OUT_DIR.toString())
                .context(Map.of(
                        "finledger:account", DeploySettings.TEST_ACCOUNT,
                        "finledger:region", DeploySettings.TEST_REGION))
                .build());
        stacks = FinLedgerApp.build(app, DeploySettings.fromContext(app));
        for (NagPack pack : FinLedgerApp.rulePacks(app)) {
            violationsByPack.put(pack.getReadPackName(), pack.validateScope(app).getViolations());
        }
        assembly = app.synth();
    }

    public static synchronized Synthesised get() {
        if (instance == null) {
            instance = new Synthesised();
        }
        return instance;
    }

    @SuppressWarnings("unchecked")
    public Template template(Stack stack) {
        return templates.computeIfAbsent(stack, s -> Template.fromJSON(
                (Map<String, Object>) assembly.getStackByName(s.getStackName()).getTemplate()));
    }

    public List<Template> allTemplates() {
        return stacks.all().stream().map(this::template).toList();
    }
}
