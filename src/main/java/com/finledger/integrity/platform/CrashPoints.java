package com.finledger.integrity.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Named points inside the writes finance relies on (a partner file decided, a DMS change file recorded, an
 * evaluation stored, an override approved), each reached with its transaction open and nothing committed.
 * Crash-safety tests start the application as a separate process with the system property
 * {@code finledger.crash-point=<name>} (and {@code finledger.crash-point.signal=<file>}): at that point
 * the process writes the point's name into the signal file and stops there for good, so the test's SIGKILL
 * lands mid-write, deterministically, instead of after a guessed sleep. Without the property (always, in
 * production) a point costs one comparison.
 */
public final class CrashPoints {

    public static final String PROPERTY = "finledger.crash-point";
    public static final String SIGNAL_PROPERTY = "finledger.crash-point.signal";

    public static final String PARTNER_FILE_DECIDED = "partner-file.decided";
    public static final String CHANGE_FILE_RECORDED = "change-file.recorded";
    public static final String EVALUATION_STORED = "evaluation.stored";
    public static final String OVERRIDE_APPROVED = "override.approved";
    /** A backfill's LAND step (recovery job): the date's objects landed, arrivals marked, not committed. */
    public static final String BACKFILL_LANDED = "backfill.landed";

    private static final String ARMED = System.getProperty(PROPERTY, "");

    private CrashPoints() {
    }

    /** Stops here for good when this is the armed point, after saying so through the signal file. */
    public static void reach(String point) {
        if (ARMED.isEmpty() || !ARMED.equals(point)) {
            return;
        }
        String signal = System.getProperty(SIGNAL_PROPERTY, "");
        if (!signal.isEmpty()) {
            signal(Path.of(signal), point);
        }
        Object never = new Object();
        synchronized (never) {
            while (true) {
                try {
                    never.wait();
                } catch (InterruptedException e) {
                    // a crash point is left only by the process dying
                }
            }
        }
    }

    /** Written whole then renamed, so a test polling for the file never reads half of it. */
    static void signal(Path file, String point) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, point + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal crash point " + point + " in " + file, e);
        }
    }

    static boolean armed(String point) {
        return ARMED.equals(point);
    }
}
