package io.nexchange.state.jdbc.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 reader (comma-separated, double-quoted fields, "" for a quote, quoted fields may span
 * lines, CRLF or LF) that remembers the line each record starts on. Hand-written rather than Commons CSV
 * because its errors must never quote field contents (a field may be an app password), which a library's
 * messages do not promise; credential files are small, so it reads the whole text first.
 */
final class CsvRecords {
    /** One record and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {
        boolean isBlank() {
            return fields.size() == 1 && fields.get(0).isBlank();
        }
    }

    /** A syntax error; the message names the line, never the content. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private CsvRecords() {}

    static List<Row> read(Reader in) throws IOException, SyntaxException {
        StringBuilder all = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = in.read(buffer)) != -1;) {
            all.append(buffer, 0, n);
        }
        String text = all.toString();
        List<Row> rows = new ArrayList<>();
        int length = text.length();
        // a spreadsheet's "CSV UTF-8" export starts with a byte order mark; it is not part of the first field
        int i = length > 0 && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int line = 1;
        while (i < length) {
            int recordLine = line;
            List<String> fields = new ArrayList<>();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                StringBuilder field = new StringBuilder();
                if (i < length && text.charAt(i) == '"') {
                    i++;
                    while (true) {
                        if (i >= length) {
                            throw new SyntaxException("line " + recordLine + ": a quoted field is not closed before the end of the file");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < length && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (i < length && text.charAt(i) == '\r') {
                        i++;
                    }
                    if (i < length && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                        throw new SyntaxException("line " + line + ": unexpected character after a closing quote"
                                + " (a quote inside a quoted field is written as two quotes)");
                    }
                } else {
                    while (i < length && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                        char c = text.charAt(i++);
                        if (c == '"') {
                            throw new SyntaxException("line " + line + ": a quote inside an unquoted field"
                                    + " (quote the whole field and write the quote as two quotes)");
                        }
                        field.append(c);
                    }
                    if (field.length() > 0 && field.charAt(field.length() - 1) == '\r') {
                        field.setLength(field.length() - 1);
                    }
                }
                fields.add(field.toString());
                if (i >= length) {
                    endOfRecord = true;
                } else if (text.charAt(i) == ',') {
                    i++;
                } else { // '\n'
                    i++;
                    line++;
                    endOfRecord = true;
                }
            }
            rows.add(new Row(recordLine, List.copyOf(fields)));
        }
        return rows;
    }
}
