package com.gpudash.query.audit;

import java.util.List;

/**
 * One CSV record as RFC 4180 writes it: fields separated by commas, a field that holds a comma, a double quote or
 * a line break enclosed in double quotes with its quotes doubled, CRLF at the end. A null field is empty.
 */
final class CsvLines {

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
            if (needsQuotes(field)) {
                line.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                line.append(field);
            }
        }
        return line.append("\r\n").toString();
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
