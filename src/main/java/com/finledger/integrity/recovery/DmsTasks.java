package com.finledger.integrity.recovery;

/**
 * Starts a CDC replication task again: AWS DMS's StartReplicationTask in production, the local DMS stand-in's
 * task state on this machine. Each call either does what it says or throws with the service's reason.
 */
public interface DmsTasks {

    /** How a task starts again, in DMS's words ({@code StartReplicationTaskType}). */
    enum StartType {
        /** Continue CDC from the task's recovery checkpoint: nothing landed is landed again. */
        RESUME_PROCESSING("resume-processing"),
        /** Full load again into the target, then CDC (DMS truncates or drops the target tables first). */
        RELOAD_TARGET("reload-target");

        private final String dms;

        StartType(String dms) {
            this.dms = dms;
        }

        public String dms() {
            return dms;
        }

        public static StartType of(String text) {
            for (StartType t : values()) {
                if (t.dms.equals(text) || t.name().equalsIgnoreCase(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("params.start_type: '" + text + "' is neither resume-processing nor reload-target");
        }
    }

    /** The task's status as the service reports it ({@code running}, {@code stopped}, {@code failed}, ...). */
    String status(String taskIdentifier);

    /** Starts the task; returns its status right after the call. */
    String start(String taskIdentifier, StartType type);
}
