package com.finledger.integrity.intake;

/**
 * Where the SQS intake hands EventBridge events (DMS, Glue, AppFlow state changes and S3 Object Created)
 * after it has taken any object they announce; implemented by the operations event intake.
 */
public interface EventBridgeSink {

    /** Records and applies one event body; throws to leave the message on the queue for a retry. */
    void accept(String body);
}
