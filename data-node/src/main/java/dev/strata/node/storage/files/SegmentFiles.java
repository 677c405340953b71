package dev.strata.node.storage.files;

import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.PackedLongs;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.StringDictionary;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.index.SegmentIndex;
import dev.strata.node.index.Postings;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sealed segment on disk: {@code seg-N.sdat} (columns, dictionaries and indexes, one
 * {@link SectionFile}) and {@code seg-N.ssrc} (ids and stored sources, {@link StoredDocuments}).
 * Written once when a refresh or a merge seals a segment, synced when a commit point first names
 * it, mapped when opened: the heap holds the segment's small metadata, never its data.
 *
 * <p>Sections of the data file: {@code meta} (JSON: every column's name, counts, layout and kinds;
 * which indexes exist); per column {@code i}: {@code c<i>.present} or {@code c<i>.offsets} or
 * {@code c<i>.sdocs}+{@code c<i>.sstarts} (the layout), {@code c<i>.k<kind>} (a bitset per kind
 * present), {@code c<i>.longs} (packed: meta has its base and width), {@code c<i>.doubles}, {@code c<i>.dbytes}+{@code c<i>.doffs} (the
 * dictionary); per column's index: {@code x<i>.exists}, and per kind {@code x<i>.<KIND>.keys},
 * {@code .starts}, {@code .docs}, {@code .bkeys}, {@code .boffs}, {@code .bits} (see {@link Postings}).
 */
public final class SegmentFiles {
    static final int KIND = 1;
    private static final List<ValueKind> POSTING_KINDS = List.of(ValueKind.STRING, ValueKind.INT, ValueKind.FLOAT, ValueKind.DATE,
            ValueKind.TIMESTAMP);

    private SegmentFiles() {}

    /** A segment mapped from its files, with its indexes and how many bytes its files take. */
    public record Opened(Segment segment, SegmentIndex index, long bytes) {}

    public static Path dataFile(Path dir, long seq) { return dir.resolve(String.format("seg-%08d.sdat", seq)); }

    public static Path sourceFile(Path dir, long seq) { return dir.resolve(String.format("seg-%08d.ssrc", seq)); }

    /** The sequence number a segment file's name carries, or -1 when {@code name} is not a segment file. */
    public static long seqOf(String name) {
        if (!name.startsWith("seg-") || !(name.endsWith(".sdat") || name.endsWith(".ssrc")) || name.length() != 17) return -1;
        try {
            return Long.parseLong(name.substring(4, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes the segment's two files (replacing leftovers of an earlier, crashed attempt); no fsync. */
    public static void write(Path dir, long seq, Segment segment, SegmentIndex index) throws IOException {
        Path data = dataFile(dir, seq);
        Path source = sourceFile(dir, seq);
        Files.deleteIfExists(data);
        Files.deleteIfExists(source);
        StoredDocuments.write(source, segment.documents());
        List<Value> metaColumns = new ArrayList<>();
        try (SectionFile.Writer w = new SectionFile.Writer(data, KIND)) {
            int i = 0;
            for (var e : segment.columns().entrySet()) {
                metaColumns.add(writeColumn(w, i, e.getKey(), e.getValue()));
                writeIndex(w, i, index.parts().get(e.getKey()));
                i++;
            }
            Map<String, Value> meta = new LinkedHashMap<>();
            meta.put("docs", Value.of(segment.docCount()));
            meta.put("columns", new Value.ArrayValue(metaColumns));
            w.bytes("meta", Json.write(new Value.ObjectValue(meta)).getBytes(StandardCharsets.UTF_8));
            w.finish();
        }
    }

    private static Value writeColumn(SectionFile.Writer w, int i, String key, FieldColumn c) throws IOException {
        FieldColumn.Parts p = c.parts();
        String layout = p.sparseDocs() != null ? "sparse" : p.offsets() != null ? "multi" : "single";
        if (p.present() != null) w.section("c" + i + ".present", p.present());
        if (p.offsets() != null) w.section("c" + i + ".offsets", p.offsets());
        if (p.sparseDocs() != null) {
            w.section("c" + i + ".sdocs", p.sparseDocs());
            w.section("c" + i + ".sstarts", p.sparseStarts());
        }
        List<Value> kinds = new ArrayList<>();
        for (ValueKind k : ValueKind.values()) {
            MemorySegment m = p.kindMasks()[k.ordinal()];
            if (m == null) continue;
            kinds.add(Value.of(k.name()));
            w.section("c" + i + ".k" + k.ordinal(), m);
        }
        if (p.longs().width() > 0) w.section("c" + i + ".longs", p.longs().bytes());
        if (p.doubles() != null) w.section("c" + i + ".doubles", p.doubles());
        StringDictionary d = p.dictionary();
        if (d.size() > 0) {
            w.section("c" + i + ".dbytes", d.bytes());
            w.section("c" + i + ".doffs", d.offsets());
        }
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("key", Value.of(key));
        m.put("name", Value.of(p.name()));
        m.put("elements", Value.of(p.elementCount()));
        m.put("layout", Value.of(layout));
        m.put("kinds", new Value.ArrayValue(kinds));
        m.put("longs_base", Value.of(p.longs().base()));
        m.put("longs_width", Value.of(p.longs().width()));
        return new Value.ObjectValue(m);
    }

    private static void writeIndex(SectionFile.Writer w, int i, SegmentIndex.PathIndex x) throws IOException {
        w.section("x" + i + ".exists", x.exists());
        Postings[] postings = {x.strings(), x.ints(), x.floats(), x.dates(), x.timestamps()};
        for (int k = 0; k < postings.length; k++) {
            if (postings[k] == null) continue;
            String name = "x" + i + "." + POSTING_KINDS.get(k).name();
            Postings.Parts p = postings[k].parts();
            if (p.keys() != null) w.section(name + ".keys", p.keys());
            w.section(name + ".starts", p.starts());
            w.section(name + ".docs", p.docs());
            w.section(name + ".bkeys", p.bitmapKeys());
            w.section(name + ".boffs", p.bitmapOffsets());
            w.section(name + ".bits", p.bitmaps());
        }
    }

    /** Makes both files durable (a commit point is about to name them). */
    public static void sync(Path dir, long seq) throws IOException {
        for (Path f : List.of(dataFile(dir, seq), sourceFile(dir, seq))) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    /** Maps and checks both files of segment {@code seq}; a damaged file is a {@link CorruptFileException} naming it. */
    public static Opened open(Path dir, long seq) throws IOException {
        StoredDocuments docs = StoredDocuments.open(sourceFile(dir, seq));
        SectionFile.Reader r = SectionFile.open(dataFile(dir, seq), KIND);
        Value.ObjectValue meta;
        try {
            meta = (Value.ObjectValue) Json.parse(new String(r.require("meta").toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new CorruptFileException(r.path(), "its metadata does not parse (" + e.getMessage() + ")");
        }
        int docCount = (int) ((Value.IntValue) meta.get("docs")).value();
        if (docCount != docs.docCount()) {
            throw new CorruptFileException(r.path(), "it holds " + docCount + " documents, its sources " + docs.docCount());
        }
        Map<String, FieldColumn> columns = new LinkedHashMap<>();
        Map<String, SegmentIndex.PathIndex> indexes = new LinkedHashMap<>();
        int i = 0;
        for (Value v : ((Value.ArrayValue) meta.get("columns")).elements()) {
            Value.ObjectValue c = (Value.ObjectValue) v;
            String key = ((Value.StringValue) c.get("key")).value();
            columns.put(key, readColumn(r, i, c, docCount));
            indexes.put(key, readIndex(r, i));
            i++;
        }
        Segment segment = new Segment(docs, columns);
        return new Opened(segment, SegmentIndex.of(segment, indexes), r.size() + Files.size(sourceFile(dir, seq)));
    }

    private static FieldColumn readColumn(SectionFile.Reader r, int i, Value.ObjectValue c, int docCount) {
        String layout = ((Value.StringValue) c.get("layout")).value();
        MemorySegment[] masks = new MemorySegment[ValueKind.values().length];
        for (Value k : ((Value.ArrayValue) c.get("kinds")).elements()) {
            ValueKind kind = ValueKind.valueOf(((Value.StringValue) k).value());
            masks[kind.ordinal()] = r.require("c" + i + ".k" + kind.ordinal());
        }
        StringDictionary dict = r.has("c" + i + ".dbytes")
                ? new StringDictionary(r.require("c" + i + ".dbytes"), r.require("c" + i + ".doffs")) : StringDictionary.EMPTY;
        return FieldColumn.of(new FieldColumn.Parts(((Value.StringValue) c.get("name")).value(), docCount,
                (int) ((Value.IntValue) c.get("elements")).value(),
                layout.equals("sparse") ? null : r.require("c" + i + ".present"),
                layout.equals("multi") ? r.require("c" + i + ".offsets") : null,
                layout.equals("sparse") ? r.require("c" + i + ".sdocs") : null,
                layout.equals("sparse") ? r.require("c" + i + ".sstarts") : null,
                masks, longs(r, i, c), r.section("c" + i + ".doubles"), dict));
    }

    private static PackedLongs longs(SectionFile.Reader r, int i, Value.ObjectValue c) {
        int width = (int) ((Value.IntValue) c.get("longs_width")).value();
        long base = ((Value.IntValue) c.get("longs_base")).value();
        MemorySegment bytes = width == 0 ? MemorySegment.ofArray(new byte[0]) : r.require("c" + i + ".longs");
        try {
            return new PackedLongs(bytes, base, width);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(r.path(), "column " + i + " has " + e.getMessage());
        }
    }

    private static SegmentIndex.PathIndex readIndex(SectionFile.Reader r, int i) {
        Postings[] p = new Postings[POSTING_KINDS.size()];
        for (int k = 0; k < p.length; k++) {
            ValueKind kind = POSTING_KINDS.get(k);
            String name = "x" + i + "." + kind.name();
            if (!r.has(name + ".starts")) continue;
            MemorySegment starts = r.require(name + ".starts");
            MemorySegment keys = kind == ValueKind.STRING ? null : r.require(name + ".keys");
            int keyCount = (int) (starts.byteSize() / Integer.BYTES) - 1;
            if (keyCount < 0 || (keys != null && keys.byteSize() != (long) keyCount * Long.BYTES)) {
                throw new CorruptFileException(r.path(), "the postings " + name + " do not fit together");
            }
            p[k] = new Postings(new Postings.Parts(keys, kind == ValueKind.FLOAT, keyCount, starts, r.require(name + ".docs"),
                    r.require(name + ".bkeys"), r.require(name + ".boffs"), r.require(name + ".bits")));
        }
        return new SegmentIndex.PathIndex(r.require("x" + i + ".exists"), p[0], p[1], p[2], p[3], p[4]);
    }
}
