package dev.strata.node.storage.files;

import dev.strata.core.segment.StringDictionary;
import com.github.luben.zstd.Zstd;
import dev.strata.core.segment.DocumentStore;
import dev.strata.core.segment.Words;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ids and stored sources of a segment, in its {@code .ssrc} file. Sources are the documents'
 * JSON bytes, compressed with Zstandard in blocks of {@value #BLOCK} documents (a block of small
 * documents compresses far better than each alone, and a hit costs one block's decompression); a
 * block starts with its documents' lengths as varints, so finding a document in it costs nothing
 * stored per document. Ids are UTF-8 bytes with offsets, plus the documents sorted by id for lookups
 * by binary search ({@code ids.order}, left out when the documents already are in id order, as a
 * load of ascending ids leaves them).
 *
 * <p>Why Zstandard: on JSON it compresses about twice as well as LZ4 at level 3 and still
 * decompresses at over a gigabyte a second, which a page of hits never notices.
 *
 * <pre>
 * ids.bytes  ids.offs (docCount+1 ints)  [ids.order (docCount ints, sorted by id)]
 * blocks (compressed, one after another)  blockoffs (blocks+1 longs)  blocklen (blocks ints: decompressed)
 * a decompressed block: the length of each of its documents (varints), then their bytes
 * </pre>
 */
public final class StoredDocuments implements DocumentStore {
    static final int KIND = 2;
    static final int BLOCK = 64;
    private static final int LEVEL = 3;

    private final int docCount;
    private final MemorySegment idBytes;
    private final MemorySegment idOffs;
    private final MemorySegment idOrder;
    private final MemorySegment blocks;
    private final MemorySegment blockOffs;
    private final MemorySegment blockLen;
    /** The last block each thread decompressed, with where its documents start: consecutive hits often share a block. */
    private final ThreadLocal<Object[]> lastBlock = ThreadLocal.withInitial(() -> new Object[] {-1, null, null});

    private StoredDocuments(SectionFile.Reader r) {
        this.idBytes = r.require("ids.bytes");
        this.idOffs = r.require("ids.offs");
        this.idOrder = r.section("ids.order");
        this.blocks = r.require("blocks");
        this.blockOffs = r.require("blockoffs");
        this.blockLen = r.require("blocklen");
        this.docCount = (int) (idOffs.byteSize() / Integer.BYTES) - 1;
        if (docCount < 0 || (idOrder != null && idOrder.byteSize() != (long) docCount * Integer.BYTES)
                || blockLen.byteSize() != (long) (docCount + BLOCK - 1) / BLOCK * Integer.BYTES) {
            throw new CorruptFileException(r.path(), "its id and block tables do not fit together");
        }
    }

    /** Writes the ids and sources of {@code docs} to {@code file} (not synced). */
    static void write(java.nio.file.Path file, DocumentStore docs) throws IOException {
        int n = docs.docCount();
        try (SectionFile.Writer w = new SectionFile.Writer(file, KIND)) {
            byte[][] ids = new byte[n][];
            ByteArrayOutputStream idBytes = new ByteArrayOutputStream();
            int[] idOffs = new int[n + 1];
            for (int d = 0; d < n; d++) {
                ids[d] = docs.id(d).getBytes(StandardCharsets.UTF_8);
                idOffs[d] = idBytes.size();
                idBytes.writeBytes(ids[d]);
            }
            idOffs[n] = idBytes.size();
            w.bytes("ids.bytes", idBytes.toByteArray());
            w.ints("ids.offs", idOffs);
            boolean sorted = true;
            for (int d = 1; d < n && sorted; d++) sorted = Arrays.compareUnsigned(ids[d - 1], ids[d]) < 0;
            if (!sorted) {
                Integer[] order = new Integer[n];
                for (int d = 0; d < n; d++) order[d] = d;
                Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(ids[a], ids[b]));
                w.ints("ids.order", Arrays.stream(order).mapToInt(Integer::intValue).toArray());
            }

            int blockCount = (n + BLOCK - 1) / BLOCK;
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            long[] blockOffs = new long[blockCount + 1];
            int[] blockLen = new int[blockCount];
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (int b = 0; b < blockCount; b++) {
                raw.reset();
                int end = Math.min(n, (b + 1) * BLOCK);
                byte[][] sources = new byte[end - b * BLOCK][];
                for (int d = b * BLOCK; d < end; d++) {
                    sources[d - b * BLOCK] = docs.sourceJson(d);
                    writeVarint(raw, sources[d - b * BLOCK].length);
                }
                for (byte[] s : sources) raw.writeBytes(s);
                byte[] rawBytes = raw.toByteArray();
                blockLen[b] = rawBytes.length;
                blockOffs[b] = compressed.size();
                compressed.writeBytes(Zstd.compress(rawBytes, LEVEL));
            }
            blockOffs[blockCount] = compressed.size();
            w.bytes("blocks", compressed.toByteArray());
            w.longs("blockoffs", blockOffs);
            w.ints("blocklen", blockLen);
            w.finish();
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Maps and checks a {@code .ssrc} file. */
    static StoredDocuments open(java.nio.file.Path file) throws IOException {
        return new StoredDocuments(SectionFile.open(file, KIND));
    }

    @Override
    public int docCount() { return docCount; }

    private MemorySegment idUtf8(int doc) {
        int from = idOffs.getAtIndex(Words.INT, doc);
        return idBytes.asSlice(from, idOffs.getAtIndex(Words.INT, doc + 1) - from);
    }

    @Override
    public String id(int doc) { return new String(idUtf8(doc).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8); }

    /** Whether {@code id} lies between the smallest and the largest id here: two comparisons, no search. */
    @Override
    public boolean mayContain(String id) {
        if (docCount == 0) return false;
        MemorySegment probe = MemorySegment.ofArray(id.getBytes(StandardCharsets.UTF_8));
        return StringDictionary.compare(idUtf8(sortedAt(0)), probe) <= 0 && StringDictionary.compare(probe, idUtf8(sortedAt(docCount - 1))) <= 0;
    }

    private int sortedAt(int i) { return idOrder == null ? i : idOrder.getAtIndex(Words.INT, i); }

    @Override
    public int docByIdRank(int rank) { return sortedAt(rank); }

    @Override
    public int find(String id) {
        MemorySegment probe = MemorySegment.ofArray(id.getBytes(StandardCharsets.UTF_8));
        int lo = 0;
        int hi = docCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int doc = sortedAt(mid);
            int c = StringDictionary.compare(idUtf8(doc), probe);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return doc;
        }
        return -1;
    }

    @Override
    public byte[] sourceJson(int doc) {
        int b = doc / BLOCK;
        Object[] last = lastBlock.get();
        if ((int) last[0] != b) {
            long from = blockOffs.getAtIndex(Words.LONG, b);
            long to = blockOffs.getAtIndex(Words.LONG, b + 1);
            byte[] compressed = blocks.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
            byte[] raw = Zstd.decompress(compressed, blockLen.getAtIndex(Words.INT, b));
            int count = Math.min(BLOCK, docCount - b * BLOCK);
            int[] starts = new int[count + 1];
            int at = 0;
            for (int i = 0; i < count; i++) { // the lengths, then the documents
                int v = 0;
                for (int shift = 0; ; shift += 7) {
                    byte x = raw[at++];
                    v |= (x & 0x7F) << shift;
                    if (x >= 0) break;
                }
                starts[i + 1] = starts[i] + v;
            }
            for (int i = 0; i <= count; i++) starts[i] += at;
            last[0] = b;
            last[1] = raw;
            last[2] = starts;
        }
        int[] starts = (int[]) last[2];
        int i = doc - b * BLOCK;
        return Arrays.copyOfRange((byte[]) last[1], starts[i], starts[i + 1]);
    }
}
