package com.finledger.integrity.catalog;

import java.util.List;

/** A catalog that cannot be used: every problem as {@code file:line: what is wrong}. */
public class CatalogException extends RuntimeException {

    private final List<String> errors;

    public CatalogException(List<String> errors) {
        super("invalid catalog (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + "):\n  "
                + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
