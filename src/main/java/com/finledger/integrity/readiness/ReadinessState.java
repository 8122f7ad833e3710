package com.finledger.integrity.readiness;

import java.util.EnumSet;
import java.util.Set;

/** The readiness state machine of a partition (DESIGN.md), with its allowed moves. */
public enum ReadinessState {
    PENDING, LOADING, VALIDATING, READY, BLOCKED, READY_WITH_EXCEPTION, REOPENED;

    public Set<ReadinessState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(LOADING);
            case LOADING -> EnumSet.of(VALIDATING);
            case VALIDATING -> EnumSet.of(READY, BLOCKED);
            case READY, READY_WITH_EXCEPTION -> EnumSet.of(REOPENED);
            case REOPENED -> EnumSet.of(VALIDATING);
            // a block is lifted by new data, a fresh evaluation, or a two-person override
            case BLOCKED -> EnumSet.of(LOADING, VALIDATING, READY_WITH_EXCEPTION);
        };
    }

    public boolean canMoveTo(ReadinessState target) {
        return next().contains(target);
    }

    /** Downstream may use the partition. */
    public boolean usable() {
        return this == READY || this == READY_WITH_EXCEPTION;
    }

    /** Words for people (with colour on the pages, never colour alone). */
    public String label() {
        return switch (this) {
            case PENDING -> "Pending";
            case LOADING -> "Loading";
            case VALIDATING -> "Validating";
            case READY -> "Ready";
            case BLOCKED -> "Blocked";
            case READY_WITH_EXCEPTION -> "Ready with exception";
            case REOPENED -> "Reopened";
        };
    }

    public String tone() {
        return switch (this) {
            case READY -> "good";
            case BLOCKED -> "bad";
            case READY_WITH_EXCEPTION, REOPENED -> "warn";
            default -> "neutral";
        };
    }
}
