package com.finledger.integrity.recovery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs persisted step jobs one at a time on a thread of its own. The job's row is the only state: the runner
 * claims it, runs its next steps, and records each step as it finishes, so a runner that dies (a crash, a
 * redeploy, or a test stopping it after some steps) leaves the job RUNNING at its last recorded step, and a
 * new runner over the same database resumes it there. (The same shape as the close rerun's job, see
 * {@code close/CloseReruns}; that one could move onto this runner.)
 */
final class ResumableJobRunner {

    private static final Logger LOG = Logger.getLogger(ResumableJobRunner.class);

    /** What the runner needs from the job's owner. */
    interface Jobs {
        /** Marks the job running and returns its steps and what they found so far; null if it is finished. */
        Claimed claim(long id);

        /** Runs step {@code index} of the claimed job; returns what it found. */
        com.fasterxml.jackson.databind.node.ObjectNode runStep(Claimed job, int index);

        /** Records step {@code index} as done with its result (and finishes the job after its last step). */
        void stepDone(Claimed job, int index, com.fasterxml.jackson.databind.node.ObjectNode result);

        void failed(long id, RuntimeException e);
    }

    record Claimed(long id, String actor, String reason, java.util.List<RecoveryPlan.Step> steps, int stepsDone,
                   com.fasterxml.jackson.databind.node.ArrayNode results) {
    }

    private final Jobs jobs;
    private final ExecutorService executor;
    /** Tests stop the runner after some steps of a job, as a crash would. */
    private volatile int stopAfterSteps = Integer.MAX_VALUE;
    private volatile boolean stopped;

    ResumableJobRunner(Jobs jobs, String threadName) {
        this.jobs = jobs;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    void submit(long id) {
        executor.submit(() -> runSafely(id));
    }

    void stopAfterSteps(int steps) {
        stopAfterSteps = steps;
    }

    /**
     * Stops taking and running steps and waits up to {@code wait} for the thread (a step that is running is
     * interrupted; its job stays RUNNING at its last recorded step and is resumed there).
     */
    void stop(java.time.Duration wait) {
        stopped = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runSafely(long id) {
        try {
            run(id);
        } catch (RuntimeException e) {
            if (stopped) {
                LOG.warnf("recovery job %d: runner stopped during a step (%s); it resumes at that step", id, e.getMessage());
                return;
            }
            LOG.errorf(e, "recovery job %d failed", id);
            jobs.failed(id, e);
        }
    }

    private void run(long id) {
        Claimed job = jobs.claim(id);
        if (job == null) {
            return;
        }
        for (int step = job.stepsDone(); step < job.steps().size(); step++) {
            if (stopped || step >= stopAfterSteps) {
                LOG.warnf("recovery job %d: runner stopped after %d steps", id, step);
                return;
            }
            var result = jobs.runStep(job, step);
            if (stopped) {
                return;   // as a crash between the step and its record: the step runs again, idempotently
            }
            job.results().add(result);
            jobs.stepDone(job, step, result);
        }
    }
}
