package com.gpudash.query.audit;

import java.util.List;

/**
 * One CSV record as RFC 4180 writes it: fields separated by commas, a field that holds a comma, a double quote or
 * a line break enclosed in double quotes with its quotes doubled, CRLF at the end. A null field is empty.
 *
 * <p>Every field is first made {@linkplain #inert(String) inert}: the log holds text that anyone can choose (the
 * username of a refused login), and a spreadsheet that opens the export must not run it as a formula.
 */
final class CsvLines {

    /**
     * What a spreadsheet may read as the start of a formula (OWASP's CSV-injection list: {@code = + - @}, tab and
     * carriage return), and the single quote itself, so that the one quote this class adds can always be told apart
     * from a value that began with one.
     */
    private static final String NEEDS_PREFIX = "=+-@\t\r'";

    private CsvLines() {
    }

    static String line(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String field = fields.get(i);
            if (field == null) {
                continue;
            }
            String cell = inert(field);
            if (needsQuotes(cell)) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        return line.append("\r\n").toString();
    }

    /**
     * The value with a single quote before it when it begins with a character in {@link #NEEDS_PREFIX}, so that
     * spreadsheets take it as text; otherwise the value as it is. A reader gets the value back by removing one
     * leading quote where there is one. A negative number gets the quote too: the audit log has no numeric column,
     * and {@code -2+3+cmd|...} is one of the attacks.
     */
    static String inert(String value) {
        if (!value.isEmpty() && NEEDS_PREFIX.indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static boolean needsQuotes(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
