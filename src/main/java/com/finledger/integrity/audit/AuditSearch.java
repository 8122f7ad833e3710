package com.finledger.integrity.audit;

import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The audit page's search: by subject, actor, action and time, and people's decisions apart from what
 * the system did; runs of the same system action on the page are collapsed into one expandable group
 * so one backfill's hundreds of entries do not bury the decisions.
 */
@ApplicationScoped
public class AuditSearch {

    /** Empty strings mean "any". who: "", "people" or "system". from/to are UTC dates, inclusive. */
    public record Filter(String subject, String actor, String action, LocalDate from, LocalDate to, String who) {
    }

    /** A run of entries shown together: one entry, or many of the same actor, action and subject type. */
    public record Group(List<AuditEntry> entries, boolean system) {

        public AuditEntry first() {
            return entries.get(0);
        }

        public boolean bulk() {
            return entries.size() >= BULK;
        }

        public int size() {
            return entries.size();
        }
    }

    static final int BULK = 3;

    @Inject
    DataSource dataSource;

    /** Machine actors write as "system:…" or as the pipeline's service user; everyone else is a person. */
    public static boolean system(String actor) {
        return actor == null || actor.contains(":") || actor.equals("pipeline");
    }

    public List<AuditEntry> page(Filter f, long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("""
                select seq, occurred_at, actor, action, subject_type, subject_id, reason, details, prev_hash, entry_hash
                from audit_log where seq < ?""");
        List<Object> args = new ArrayList<>();
        args.add(beforeSeq);
        if (!f.subject().isBlank()) {
            sql.append(" and (subject_type || ' ' || subject_id) ilike ?");
            args.add("%" + like(f.subject().trim()) + "%");
        }
        if (!f.actor().isBlank()) {
            sql.append(" and actor ilike ?");
            args.add("%" + like(f.actor().trim()) + "%");
        }
        if (!f.action().isBlank()) {
            sql.append(" and action ilike ?");
            args.add(like(f.action().trim()) + "%");
        }
        if (f.from() != null) {
            sql.append(" and occurred_at >= ?");
            args.add(java.sql.Timestamp.from(f.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (f.to() != null) {
            sql.append(" and occurred_at < ?");
            args.add(java.sql.Timestamp.from(f.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (f.who().equals("people")) {
            sql.append(" and actor not like '%:%' and actor <> 'pipeline'");
        } else if (f.who().equals("system")) {
            sql.append(" and (actor like '%:%' or actor = 'pipeline')");
        }
        sql.append(" order by seq desc limit ?");
        args.add(limit);
        return Jdbc.query(dataSource, sql.toString(), args, rs -> new AuditEntry(rs.getLong(1),
                rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)));
    }

    /**
     * Consecutive entries of the same actor, action and subject type become one group (a backfill asked
     * by one person writes one entry per window; the group shows it as one line that expands).
     */
    public static List<Group> group(List<AuditEntry> entries) {
        List<Group> groups = new ArrayList<>();
        List<AuditEntry> run = new ArrayList<>();
        for (AuditEntry e : entries) {
            if (!run.isEmpty()) {
                AuditEntry last = run.get(run.size() - 1);
                boolean same = e.actor().equals(last.actor()) && e.action().equals(last.action())
                        && e.subjectType().equals(last.subjectType());
                if (!same) {
                    flush(groups, run);
                }
            }
            run.add(e);
        }
        flush(groups, run);
        return groups;
    }

    private static void flush(List<Group> groups, List<AuditEntry> run) {
        if (run.isEmpty()) {
            return;
        }
        AuditEntry first = run.get(0);
        if (run.size() >= BULK) {
            groups.add(new Group(List.copyOf(run), system(first.actor())));
        } else {
            run.forEach(e -> groups.add(new Group(List.of(e), system(e.actor()))));
        }
        run.clear();
    }

    private static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
