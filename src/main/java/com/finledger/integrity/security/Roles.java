package com.finledger.integrity.security;

/** The roles of DESIGN.md; every endpoint and page names the ones it admits. */
public final class Roles {

    public static final String OPS = "ops";
    public static final String FINANCE_PREPARER = "finance_preparer";
    public static final String FINANCE_APPROVER = "finance_approver";
    public static final String AUDITOR = "auditor";
    public static final String PIPELINE = "pipeline";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
