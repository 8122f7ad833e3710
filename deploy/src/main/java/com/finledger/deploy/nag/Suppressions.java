package com.finledger.deploy.nag;

import com.finledger.deploy.FinLedgerApp.Stacks;

/** Every rule-pack finding this deployment accepts, each with the reason it is acceptable. */
public final class Suppressions {

    private Suppressions() {
    }

    public static void apply(Stacks stacks) {
    }
}
