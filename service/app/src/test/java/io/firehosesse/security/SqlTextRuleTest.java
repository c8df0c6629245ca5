package io.firehosesse.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule: values reach SQL only as bind parameters. SQL text may be joined only from string literals and
 * a few identifier variables that hold table names chosen by code (never by a request). This test reads
 * every main source file and fails on any other operand joined into the text given to JdbcClient.sql,
 * JdbcTemplate.batchUpdate or Statement.execute, so a new concatenation has to be looked at and either
 * turned into a parameter or added here with a reason.
 */
class SqlTextRuleTest {

    /**
     * Fragments chosen by code, never by a request: table names from Tables constants (live/aside), Replays'
     * fixed WHERE fragments and batch size, DataPlaneStreams' row-lock clause ("" or " FOR SHARE").
     */
    static final Set<String> IDENTIFIERS = Set.of("table", "live", "rebuilt", "condition", "BATCH", "Integer.MAX_VALUE", "lock");
    static final Pattern SQL_TEXT = Pattern.compile("^\\s*(\"\"\"\\s*|\")(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|LOCK|ALTER|WITH)\\b");
    static final Pattern SQL_CALL = Pattern.compile("\\.(sql|batchUpdate|execute|update|queryForList|queryForObject)\\(");

    @Test
    void sqlTextIsJoinedOnlyFromLiteralsAndTableNames() throws IOException {
        List<String> violations = new ArrayList<>();
        int statements = 0;
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../../read-model/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    violations.addAll(check(file, source));
                    statements += sqlTexts(source);
                }
            }
        }
        // The scan must see the service's SQL, or it proves nothing.
        assertThat(statements).isGreaterThan(50);
        assertThat(violations).as("SQL text joined from something other than literals and table names").isEmpty();
    }

    @Test
    void theRuleCatchesAValueJoinedIntoSql() {
        String source = "class X { void f(String name) { jdbc.sql(\"SELECT * FROM t WHERE name = '\" + name + \"'\").update(); } }";
        assertThat(check(Path.of("X.java"), source)).hasSize(1);
        String bound = "class X { void f(String name) { jdbc.sql(\"SELECT * FROM \" + table + \" WHERE name = :name\")"
                + ".param(\"name\", name).update(); } }";
        assertThat(check(Path.of("X.java"), bound)).isEmpty();
    }

    static int sqlTexts(String source) {
        int count = 0;
        Matcher call = SQL_CALL.matcher(source);
        while (call.find()) {
            String argument = firstArgument(source, call.end());
            if (argument != null && SQL_TEXT.matcher(argument).find()) {
                count++;
            }
        }
        return count;
    }

    /** Each concatenated operand of the first argument of a SQL call. */
    static List<String> check(Path file, String source) {
        List<String> violations = new ArrayList<>();
        Matcher call = SQL_CALL.matcher(source);
        while (call.find()) {
            String argument = firstArgument(source, call.end());
            if (argument == null || !SQL_TEXT.matcher(argument).find()) {
                continue; // not SQL text (update() without arguments, a lambda, a parameter map)
            }
            for (String operand : operands(argument)) {
                String trimmed = operand.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("\"") || IDENTIFIERS.contains(trimmed)
                        || trimmed.matches("\\(condition\\.contains\\(\":after\"\\) \\? BATCH : Integer\\.MAX_VALUE\\)")
                        || trimmed.matches("target\\.database\\(\\)\\.replace\\(\"\\\\\"\", \"\\\\\"\\\\\"\"\\)")) {
                    continue;
                }
                violations.add(file + ": " + trimmed);
            }
        }
        return violations;
    }

    private static String firstArgument(String source, int start) {
        int depth = 0;
        boolean inString = false;
        boolean textBlock = false;
        for (int i = start; i < source.length(); i++) {
            char c = source.charAt(i);
            if (source.startsWith("\"\"\"", i)) {
                textBlock = !textBlock;
                i += 2;
                continue;
            }
            if (textBlock) {
                continue;
            }
            if (c == '"' && source.charAt(i - 1) != '\\') {
                inString = !inString;
            }
            if (inString) {
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    return source.substring(start, i);
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return source.substring(start, i);
            }
        }
        return null;
    }

    /** Splits on top-level '+' outside string literals and text blocks. */
    private static List<String> operands(String expression) {
        List<String> operands = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        boolean textBlock = false;
        int from = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (expression.startsWith("\"\"\"", i)) {
                textBlock = !textBlock;
                i += 2;
                continue;
            }
            if (textBlock) {
                continue;
            }
            if (c == '"' && (i == 0 || expression.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString) {
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '+' && depth == 0) {
                operands.add(expression.substring(from, i));
                from = i + 1;
            }
        }
        operands.add(expression.substring(from));
        return operands;
    }
}
