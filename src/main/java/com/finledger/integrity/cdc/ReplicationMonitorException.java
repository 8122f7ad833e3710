package com.finledger.integrity.cdc;

/** The replication service could not be asked, or answered something unusable; says which call and why. */
public class ReplicationMonitorException extends RuntimeException {

    public ReplicationMonitorException(String message, Throwable cause) {
        super(message, cause);
    }
}
