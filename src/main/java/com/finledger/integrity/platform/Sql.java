package com.finledger.integrity.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Small helpers for SQL we assemble from catalog names (never from user input). */
public final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private Sql() {
    }

    /** A catalog name used as an identifier; anything else is a programming error. */
    public static String ident(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a safe SQL identifier: " + name);
        }
        return name;
    }

    public static String qualified(String schema, String table) {
        return ident(schema) + "." + ident(table);
    }

    public static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, qualified(schema, table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
