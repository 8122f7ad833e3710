package com.finledger.integrity.rules;

import java.util.Optional;

/** Lets tests outside this package point the rule service at another folder (and back), as RuleServiceTest does. */
public final class RuleFolders {

    private RuleFolders() {
    }

    /** Uses {@code folder} for the next reloads; returns the folder in use before, to hand back later. */
    public static Optional<String> use(RuleService rules, Optional<String> folder) {
        Optional<String> before = rules.directory();
        rules.useDirectory(folder);
        return before;
    }
}
