package dev.plinth.promote;

import java.util.ArrayList;
import java.util.List;

/** A unified diff (as {@code diff -u} and {@code git diff} write it) of two texts, three lines of context. */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** Empty when the texts are equal. */
    static String of(String path, String before, String after) {
        if (before.equals(after)) return "";
        List<String> a = lines(before);
        List<String> b = lines(after);
        // the common head and tail are cut before the quadratic part: an edit touches a few lines
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) head++;
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) tail++;
        List<String> ma = a.subList(head, a.size() - tail);
        List<String> mb = b.subList(head, b.size() - tail);
        int[][] lcs = new int[ma.size() + 1][mb.size() + 1];
        for (int i = ma.size() - 1; i >= 0; i--) {
            for (int j = mb.size() - 1; j >= 0; j--) {
                lcs[i][j] = ma.get(i).equals(mb.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // the whole script: ' ', '-' or '+' with the line, and each line's index in a and b
        List<char[]> ops = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < head; k++) add(ops, texts, ' ', a.get(k));
        int i = 0;
        int j = 0;
        while (i < ma.size() || j < mb.size()) {
            if (i < ma.size() && j < mb.size() && ma.get(i).equals(mb.get(j))) {
                add(ops, texts, ' ', ma.get(i++));
                j++;
            } else if (i < ma.size() && (j == mb.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                add(ops, texts, '-', ma.get(i++));
            } else {
                add(ops, texts, '+', mb.get(j++));
            }
        }
        for (int k = a.size() - tail; k < a.size(); k++) add(ops, texts, ' ', a.get(k));

        StringBuilder out = new StringBuilder("--- a/" + path + "\n+++ b/" + path + "\n");
        int n = ops.size();
        int k = 0;
        int lineA = 1;
        int lineB = 1;
        while (k < n) {
            if (ops.get(k)[0] == ' ') {
                k++;
                lineA++;
                lineB++;
                continue;
            }
            // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is at most 2 * CONTEXT lines of context away
            int start = Math.max(0, k - CONTEXT);
            int startA = lineA - (k - start);
            int startB = lineB - (k - start);
            int end = k;
            int lastChange = k;
            while (end < n && end - lastChange <= 2 * CONTEXT) {
                if (ops.get(end)[0] != ' ') lastChange = end;
                end++;
            }
            end = Math.min(n, lastChange + 1 + CONTEXT);
            int countA = 0;
            int countB = 0;
            StringBuilder hunk = new StringBuilder();
            for (int x = start; x < end; x++) {
                char op = ops.get(x)[0];
                if (op != '+') countA++;
                if (op != '-') countB++;
                hunk.append(op).append(texts.get(x)).append('\n');
            }
            out.append("@@ -").append(range(startA, countA)).append(" +").append(range(startB, countB)).append(" @@\n").append(hunk);
            for (int x = k; x < end; x++) {
                char op = ops.get(x)[0];
                if (op != '+') lineA++;
                if (op != '-') lineB++;
            }
            k = end;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 0 ? (start - 1) + ",0" : count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private static void add(List<char[]> ops, List<String> texts, char op, String line) {
        ops.add(new char[]{op});
        texts.add(line);
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        // a final line break ends the last line rather than starting an empty one
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }
}
