package com.finledger.integrity.rules;

import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.platform.ConfigTree;
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
 * The active data-quality rule set ({@code rules/*.yaml}), kept as a {@link ReviewedRuleSet}: a reload that
 * finds any problem keeps the previous valid set active and reports the problems; every accepted set is
 * stored, so a restart on a broken rules/ folder still runs the last good rules.
 */
@ApplicationScoped
public class RuleService {

    @Inject
    CatalogService catalogService;

    @Inject
    RuleSetStore store;

    @ConfigProperty(name = "finledger.rules.dir")
    Optional<String> directory;

    private ReviewedRuleSet<Rule> set;

    public record ReloadResult(boolean accepted, int rules, String contentHash, List<String> errors) {
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        set().start(dir(), "system:startup");
    }

    /** Reads rules/ again; only a set without problems replaces the active one. */
    public synchronized ReloadResult reload(String actor) {
        ReviewedRuleSet.ReloadResult r = set().reload(dir(), actor);
        return new ReloadResult(r.accepted(), r.rules(), r.contentHash(), r.errors());
    }

    /** Points reloads at another folder (tests, or an operator mounting a new rules volume). */
    synchronized void useDirectory(Optional<String> folder) {
        directory = folder;
    }

    Optional<String> directory() {
        return directory;
    }

    public List<Rule> rules() {
        return set().rules();
    }

    public List<Rule> rulesFor(String dataset) {
        return rules().stream().filter(r -> r.dataset().equals(dataset)).toList();
    }

    public List<String> lastErrors() {
        return set().lastErrors();
    }

    public String activeHash() {
        return set().activeHash();
    }

    private Path dir() {
        return ConfigTree.resolve(directory, "rules");
    }

    private synchronized ReviewedRuleSet<Rule> set() {
        if (set == null) {
            set = new ReviewedRuleSet<>(RuleSetStore.Kind.QUALITY, folder -> {
                RuleSetLoader.Result result = RuleSetLoader.load(folder, catalogService.catalog());
                return new ReviewedRuleSet.Loaded<>(result.rules(), result.errors());
            }, store);
        }
        return set;
    }
}
