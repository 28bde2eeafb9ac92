package org.trovej.api.guest;

import org.trovej.common.guest.GuestSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.trovej.api.validation.PythonRepr;

/**
 * What Trove's guest models (trove/common/db/models.py and its mysql / postgresql children) accept as database
 * names, user names, hosts, passwords, character sets and collations, and which names are reserved
 * ({@code ignore_dbs} / {@code ignore_users} of the datastore), per datastore manager. A refusal is an
 * {@link Invalid} carrying the model's own message (Trove's ValueError), which the caller wraps the way Trove's
 * controller does. Any other manager gets the generic model: only empty names are refused.
 */
public abstract class DatastoreRules {

    /** The managers whose databases and users the API manages (Trove's load_and_verify list). */
    public static final Set<String> SUPPORTED_MANAGERS = Set.of("mysql", "mariadb", "postgresql");

    private static final List<String> MYSQL_DBS = List.of("mysql", "information_schema", "performance_schema", "sys");
    private static final List<String> MYSQL_USERS = List.of("os_admin", "root");

    private static final DatastoreRules MYSQL = new MySql();
    private static final DatastoreRules POSTGRESQL = new PostgreSql();
    private static final DatastoreRules GENERIC = new Generic();

    private final List<String> ignoredDbs;
    private final List<String> ignoredUsers;

    DatastoreRules(List<String> ignoredDbs, List<String> ignoredUsers) {
        this.ignoredDbs = ignoredDbs;
        this.ignoredUsers = ignoredUsers;
    }

    public static DatastoreRules of(String manager) {
        if ("postgresql".equals(manager)) {
            return POSTGRESQL;
        }
        if ("mysql".equals(manager) || "mariadb".equals(manager)) {
            return MYSQL;
        }
        return GENERIC;
    }

    /** A value the model refuses; the message is the model's. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Trove's {@code ignore_dbs}: databases users may not create or drop, left out of lists. */
    public List<String> ignoredDbs() {
        return ignoredDbs;
    }

    /** Trove's {@code ignore_users}: users that may not be created, changed or shown, left out of lists. */
    public List<String> ignoredUsers() {
        return ignoredUsers;
    }

    /** Databases a list hides: the reserved ones and, on PostgreSQL, the template databases. */
    public boolean hiddenDb(String name) {
        return ignoredDbs.contains(name);
    }

    /** The name of the superuser {@code enable_root} enables (Trove's {@code root_username}). */
    public abstract String rootUserName();

    /** DatastoreSchema.name's checks: not empty, not too long, valid for the datastore. */
    public void checkSchemaName(String name) {
        if (name == null || name.isEmpty()) {
            throw new Invalid("Schema name empty.");
        }
        Integer max = maxSchemaNameLength();
        if (max != null && length(name) > max) {
            throw new Invalid("Schema name '" + name + "' is too long. Max length = " + max + ".");
        }
        if (!validSchemaName(name)) {
            throw new Invalid("'" + name + "' is not a valid schema name.");
        }
    }

    /** DatastoreSchema.check_reserved. */
    public void checkReservedDb(String name) {
        if (ignoredDbs.contains(name)) {
            throw new Invalid("Database name \"" + name + "\" is on the reserved list: " + pythonList(ignoredDbs)
                    + ".");
        }
    }

    /** DatastoreUser.name's checks. */
    public void checkUserName(String name) {
        if (name == null || name.isEmpty()) {
            throw new Invalid("User name empty.");
        }
        Integer max = maxUserNameLength();
        if (max != null && length(name) > max) {
            throw new Invalid("User name '" + name + "' is too long. Max length = " + max + ".");
        }
        if (!validUserName(name)) {
            throw new Invalid("'" + name + "' is not a valid user name.");
        }
    }

    /** DatastoreUser.host's check. */
    public void checkHost(String host) {
        if (!validHost(host)) {
            throw new Invalid("'" + host + "' is not a valid hostname.");
        }
    }

    /** DatastoreUser.password's check. Trove quotes the password in its message; TroveJ never shows one. */
    public void checkPassword(String password) {
        if (!validPassword(password)) {
            throw new Invalid("The password is not a valid password.");
        }
    }

    /** DatastoreUser.check_reserved (a root user is never reserved; the API never names one). */
    public void checkReservedUser(String name) {
        if (ignoredUsers.contains(name)) {
            throw new Invalid("User name \"" + name + "\" is on the reserved list: " + pythonList(ignoredUsers)
                    + ".");
        }
    }

    /**
     * The schema to send for a validated name with the request's character set and collation, set in the order
     * Trove's populate_validated_databases sets them (character set first); empty values are "not given".
     */
    public GuestSchema schema(String name, String characterSet, String collate) {
        return new GuestSchema(name, empty(collate) ? null : collate, empty(characterSet) ? null : characterSet);
    }

    Integer maxSchemaNameLength() {
        return null;
    }

    Integer maxUserNameLength() {
        return null;
    }

    boolean validSchemaName(String name) {
        return true;
    }

    boolean validUserName(String name) {
        return true;
    }

    boolean validHost(String host) {
        return true;
    }

    boolean validPassword(String password) {
        return true;
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Python's len(): code points. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Python's repr of a list of str, as Trove prints the reserved lists. */
    public static String pythonList(List<String> names) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(PythonRepr.str(names.get(i)));
        }
        return out.append(']').toString();
    }

    /** Whether Python's {@code "%r" % value} would need a backslash: a backslash or a non-printable character. */
    static boolean reprHasBackslash(String value) {
        return !PythonRepr.str(value).equals(simpleQuote(value)) || hasNonPrintable(value);
    }

    private static String simpleQuote(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        return quote + s + quote;
    }

    /** Python's str.isprintable() is false for control, format, surrogate, unassigned and separator (but ' '). */
    private static boolean hasNonPrintable(String value) {
        return value.codePoints().anyMatch(c -> {
            if (c == ' ') {
                return false;
            }
            int type = Character.getType(c);
            return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
        });
    }

    /** trove/common/db/mysql/models.py: MySQLSchema and MySQLUser, for mysql and mariadb. */
    private static final class MySql extends DatastoreRules {

        private static final Pattern DB_NAME = Pattern.compile("^[A-Za-z0-9_-]+[\\s?#@]*[A-Za-z0-9_-]+$",
                Pattern.UNICODE_CHARACTER_CLASS);
        private static final Pattern NOT_SUPPORTED = Pattern.compile("^\\s|\\s$|'|\"|;|`|,|/|\\\\",
                Pattern.UNICODE_CHARACTER_CLASS);
        private static final Map<String, List<String>> CHARSETS = new LinkedHashMap<>();
        private static final Map<String, String> COLLATIONS = new HashMap<>();

        static {
            loadCharsets();
        }

        MySql() {
            super(MYSQL_DBS, MYSQL_USERS);
        }

        @Override
        public String rootUserName() {
            return "root";
        }

        @Override
        Integer maxSchemaNameLength() {
            return 64;
        }

        @Override
        Integer maxUserNameLength() {
            return 16;
        }

        @Override
        boolean validSchemaName(String name) {
            return DB_NAME.matcher(name).find() && !reprHasBackslash(name);
        }

        @Override
        boolean validUserName(String name) {
            return validString(name);
        }

        @Override
        boolean validPassword(String password) {
            return validString(password);
        }

        private static boolean validString(String value) {
            return !empty(value) && !NOT_SUPPORTED.matcher(value).find() && !reprHasBackslash(value);
        }

        /** With Trove's default {@code hostname_require_valid_ip}: '%' or an IP network ('%' read as a digit). */
        @Override
        boolean validHost(String host) {
            return host == null || host.equals("%") || ipNetwork(host.replace('%', '1'));
        }

        @Override
        public GuestSchema schema(String name, String characterSet, String collate) {
            String charset = null;
            if (!empty(characterSet)) {
                if (!CHARSETS.containsKey(characterSet)) {
                    throw new Invalid("'" + characterSet + "' not a valid character set.");
                }
                charset = characterSet;
            }
            String collation = null;
            if (!empty(collate)) {
                if (charset != null) {
                    if (!CHARSETS.get(charset).contains(collate)) {
                        throw new Invalid(collate + " not a valid collation for charset " + charset + ".");
                    }
                } else {
                    charset = COLLATIONS.get(collate);
                    if (charset == null) {
                        throw new Invalid("'" + collate + "' not a valid collation.");
                    }
                }
                collation = collate;
            }
            return new GuestSchema(name, collation, charset);
        }

        private static void loadCharsets() {
            try (InputStream in = DatastoreRules.class.getResourceAsStream("mysql-charsets.txt")) {
                if (in == null) {
                    throw new IllegalStateException("mysql-charsets.txt missing from the classpath");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] words = line.trim().split("\\s+");
                    if (words[0].startsWith("+")) {
                        COLLATIONS.put(words[0].substring(1), words[1]);
                    } else {
                        List<String> collations = List.of(words).subList(1, words.length);
                        CHARSETS.put(words[0], collations);
                        collations.forEach(c -> COLLATIONS.put(c, words[0]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** trove/common/db/postgresql/models.py: PostgreSQLSchema and PostgreSQLUser. */
    private static final class PostgreSql extends DatastoreRules {

        private static final Pattern DB_NAME = Pattern.compile("^[\\u0001-\\u007F\\u0080-\\uFFFF]+[^\\s]$",
                Pattern.UNICODE_CHARACTER_CLASS);
        private static final Set<String> TEMPLATES = Set.of("template0", "template1");

        PostgreSql() {
            super(List.of("os_admin", "postgres"), List.of("os_admin", "postgres"));
        }

        /** trove/guestagent/datastore/postgres/service.py {@code build_root_user}: root is {@code root}. */
        @Override
        public String rootUserName() {
            return "root";
        }

        @Override
        public boolean hiddenDb(String name) {
            return super.hiddenDb(name) || TEMPLATES.contains(name);
        }

        @Override
        Integer maxSchemaNameLength() {
            return 63;
        }

        @Override
        Integer maxUserNameLength() {
            return 63;
        }

        @Override
        boolean validSchemaName(String name) {
            return DB_NAME.matcher(name).find();
        }
    }

    /** The generic models: only an empty name is refused; reserved names as Trove's default (MySQL's) lists. */
    private static final class Generic extends DatastoreRules {

        Generic() {
            super(MYSQL_DBS, MYSQL_USERS);
        }

        @Override
        public String rootUserName() {
            return "root";
        }
    }

    /**
     * netaddr.IPNetwork's reading of a host: IPv4 as one to four decimal octets (a partial address is padded
     * with zeros, as netaddr expands it) or an IPv6 literal, optionally with a prefix length, or for IPv4 a
     * dotted netmask.
     */
    static boolean ipNetwork(String value) {
        String address = value;
        String prefix = null;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            address = value.substring(0, slash);
            prefix = value.substring(slash + 1);
        }
        int maxPrefix;
        if (ipv4(address, 1)) {
            maxPrefix = 32;
        } else if (address.contains(":") && address.matches("[0-9A-Fa-f:.]+")) {
            try {
                InetAddress.getByName(address); // a literal: never a lookup
            } catch (UnknownHostException e) {
                return false;
            }
            maxPrefix = 128;
        } else {
            return false;
        }
        if (prefix == null) {
            return true;
        }
        if (prefix.matches("\\d{1,3}")) {
            return new BigInteger(prefix).intValue() <= maxPrefix;
        }
        return maxPrefix == 32 && netmask(prefix);
    }

    /** {@code minOctets} to four decimal octets 0-255 without leading zeros. */
    private static boolean ipv4(String address, int minOctets) {
        String[] octets = address.split("\\.", -1);
        if (octets.length < minOctets || octets.length > 4) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("0|[1-9]\\d{0,2}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** A dotted IPv4 netmask (contiguous ones) or hostmask (contiguous zeros then ones). */
    private static boolean netmask(String mask) {
        if (!ipv4(mask, 4)) {
            return false;
        }
        long bits = 0;
        for (String octet : mask.split("\\.")) {
            bits = (bits << 8) | Integer.parseInt(octet);
        }
        long inverted = ~bits & 0xFFFFFFFFL;
        return ((inverted + 1) & inverted) == 0 || ((bits + 1) & bits) == 0;
    }
}
