package com.finledger.integrity.matching;

import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.ConfigTree;
import com.finledger.integrity.rules.ReviewedRuleSet;
import com.finledger.integrity.rules.RuleSetStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The active match rules ({@code rules/matching/}), kept like the data-quality rules as a
 * {@link ReviewedRuleSet}: a reload that finds any problem keeps the previous valid set and reports the
 * problems as {@code file:line}; every accepted set is stored and audited with its hash, so a restart on a
 * broken folder still runs the last valid set.
 */
@ApplicationScoped
public class MatchRuleService {

    @Inject
    CatalogService catalogService;

    @Inject
    RuleSetStore store;

    @ConfigProperty(name = "finledger.rules.dir")
    Optional<String> directory;

    private ReviewedRuleSet<MatchRule> set;

    public record ReloadResult(boolean accepted, int rules, String contentHash, List<String> errors) {
    }

    void onStart(@Observes @Priority(25) StartupEvent event) {
        start(folder());
    }

    public synchronized ReloadResult reload(String actor) {
        return reload(folder(), actor);
    }

    /** Reads a match rules folder; only a set without problems replaces the active one. */
    public synchronized ReloadResult reload(Path dir, String actor) {
        return result(set().reload(dir, actor));
    }

    /** What a start of the application does: the folder's set, or the last stored valid one if the folder is broken. */
    synchronized ReloadResult start(Path dir) {
        return result(set().start(dir, "system:startup"));
    }

    public List<MatchRule> rules() {
        return set().rules();
    }

    public Optional<MatchRule> rule(String name) {
        return rules().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public String activeHash() {
        return set().activeHash();
    }

    public List<String> lastErrors() {
        return set().lastErrors();
    }

    Path folder() {
        return ConfigTree.resolve(directory, "rules").resolve("matching");
    }

    private static ReloadResult result(ReviewedRuleSet.ReloadResult r) {
        return new ReloadResult(r.accepted(), r.rules(), r.contentHash(), r.errors());
    }

    private synchronized ReviewedRuleSet<MatchRule> set() {
        if (set == null) {
            set = new ReviewedRuleSet<>(RuleSetStore.Kind.MATCHING, folder -> {
                MatchRuleLoader.Result result = MatchRuleLoader.load(folder, catalogService.catalog());
                return new ReviewedRuleSet.Loaded<>(result.rules(), result.errors());
            }, store);
        }
        return set;
    }
}
