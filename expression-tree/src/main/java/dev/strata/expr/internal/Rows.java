package dev.strata.expr.internal;

import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;

/**
 * The rows a kernel evaluates: usually the documents of a batch; inside an any-match leaf, one row
 * per combination of array elements. Owned by one thread.
 */
public final class Rows {
    /** Number of rows. */
    public int n;
    /** Document of each row. */
    public int[] doc = new int[0];
    /** When >= 0, row i is document base + i (so columns can be read without a gather). */
    public int base = -1;
    /** Per any-match slot, the element each row reads (-1: the document lacks the field). */
    public int[][] elem = new int[0][];
    /** Score of each row's document, or null when every score is 1.0 (read by {@code _score} in ORDER BY). */
    public double[] scores;
    /** Changes whenever the rows change, so a shared operand is evaluated once per fill. */
    public long generation;
    public final Segment segment;
    /** The query run the rows belong to (its deadline and UDF counters). */
    public final ExecutionContext run;

    public Rows(Segment segment, ExecutionContext run) {
        this.segment = segment;
        this.run = run;
    }

    public void ensure(int rows) {
        if (doc.length < rows) doc = java.util.Arrays.copyOf(doc, Math.max(rows, doc.length * 2));
    }

    /** Fills with rows {@code where[0..m)} of {@code from} (documents, any-match elements, scores), as a batch of its own. */
    public void select(Rows from, int[] where, int m) {
        ensure(m);
        for (int k = 0; k < m; k++) doc[k] = from.doc[where[k]];
        if (elem.length != from.elem.length) elem = new int[from.elem.length][];
        for (int s = 0; s < elem.length; s++) {
            if (elem[s] == null || elem[s].length < m) elem[s] = new int[Math.max(m, from.elem[s].length)];
            for (int k = 0; k < m; k++) elem[s][k] = from.elem[s][where[k]];
        }
        if (from.scores == null) {
            scores = null;
        } else {
            if (scores == null || scores.length < m) scores = new double[Math.max(m, from.scores.length)];
            for (int k = 0; k < m; k++) scores[k] = from.scores[where[k]];
        }
        n = m;
        base = -1;
        generation++;
    }

    /** Fills with the given batch of documents. */
    public void setDocs(int[] docs, int count) {
        ensure(count);
        System.arraycopy(docs, 0, doc, 0, count);
        n = count;
        base = count > 0 && docs[count - 1] - docs[0] == count - 1 ? docs[0] : -1;
        generation++;
    }
}
