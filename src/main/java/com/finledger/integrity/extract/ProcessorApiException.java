package com.finledger.integrity.extract;

/** A processor API call that failed for good (after its retries), saying which call and why. */
public class ProcessorApiException extends RuntimeException {

    public ProcessorApiException(String message) {
        super(message);
    }

    public ProcessorApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
