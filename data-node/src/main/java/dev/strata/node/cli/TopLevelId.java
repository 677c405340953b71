package dev.strata.node.cli;

/**
 * Finds the {@code _id} of an NDJSON line without parsing it: scans the top-level members,
 * skipping strings and nested values, and returns the raw text of the {@code "_id"} member's string
 * (escapes as written, which is as good as the decoded id for telling lines apart), or null. A
 * line that is not what it seems comes back null too: the node reports it, the scan only routes it.
 */
final class TopLevelId {
    private TopLevelId() {}

    static String of(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && line.charAt(i) != '{') {
            if (!Character.isWhitespace(line.charAt(i))) return null;
            i++;
        }
        int depth = 0;
        boolean expectKey = true;
        for (; i < n; i++) {
            char c = line.charAt(i);
            switch (c) {
                case '{', '[' -> {
                    depth++;
                    expectKey = c == '{';
                }
                case '}', ']' -> depth--;
                case ',' -> expectKey = depth == 1 || expectKey;
                case ':' -> expectKey = false;
                case '"' -> {
                    int end = endOfString(line, i);
                    if (end < 0) return null;
                    if (depth == 1 && expectKey && end - i == 4 && line.startsWith("_id", i + 1)) {
                        int v = i + 5;
                        while (v < n && (Character.isWhitespace(line.charAt(v)) || line.charAt(v) == ':')) v++;
                        if (v >= n || line.charAt(v) != '"') return null;
                        int ve = endOfString(line, v);
                        return ve < 0 ? null : line.substring(v + 1, ve);
                    }
                    i = end;
                }
                default -> { }
            }
        }
        return null;
    }

    /** The index of the quote closing the string that opens at {@code start}, or -1. */
    private static int endOfString(String s, int start) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '"') return i;
        }
        return -1;
    }
}
