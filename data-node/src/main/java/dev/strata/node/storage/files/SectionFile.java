package dev.strata.node.storage.files;

import dev.strata.core.segment.StringDictionary;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A file of named byte sections, in the manner of Lucene's codec files: a header (magic, kind,
 * format version, byte order), the sections one after another (each starting on an 8-byte
 * boundary, so longs and doubles can be read in place from a mapping), a table of contents, and a
 * footer holding the table's position and a CRC32C of everything before it. A reader maps the
 * file, checks the footer's checksum over the whole file, and then hands out sections as slices of
 * the mapping: nothing is copied onto the heap.
 *
 * <pre>
 * header  "STRATA\0\0" kind:int version:int order:int pad:int              (24 bytes)
 * sections ...                                                          (8-aligned)
 * toc     count:int (nameLength:int name:utf8 offset:long length:long)*     (sorted by name, bytewise)
 * footer  tocOffset:long crc32c:long "ENDSTRAT"                          (24 bytes)
 * </pre>
 */
public final class SectionFile {
    public static final int VERSION = 2;
    private static final long MAGIC = 0x5354524154410000L;   // "STRATA\0\0"
    private static final long END = 0x454e44535452_4154L;     // "ENDSTRAT"
    private static final int HEADER = 24;
    private static final int FOOTER = 24;
    private static final int ORDER = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 1 : 2;

    private SectionFile() {}

    /** Writes sections to a new file; {@link #finish} writes the table and footer and closes it (no fsync). */
    public static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final Path path;
        private final CRC32C crc = new CRC32C();
        private final List<byte[]> names = new ArrayList<>();
        private long[] spans = new long[64]; // offset, length per section
        private long pos;
        private boolean finished;

        public Writer(Path path, int kind) throws IOException {
            this.path = path;
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.nativeOrder());
            h.putLong(MAGIC).putInt(kind).putInt(VERSION).putInt(ORDER).putInt(0).flip();
            write(h);
        }

        private void write(ByteBuffer b) throws IOException {
            crc.update(b.duplicate());
            while (b.hasRemaining()) pos += ch.write(b);
        }

        private void align() throws IOException {
            int pad = (int) ((8 - (pos & 7)) & 7);
            if (pad > 0) write(ByteBuffer.allocate(pad));
        }

        /** Adds a section with these bytes. */
        public void section(String name, ByteBuffer bytes) throws IOException {
            align();
            long start = pos;
            write(bytes);
            int i = names.size();
            names.add(name.getBytes(StandardCharsets.UTF_8));
            if (2 * i + 2 > spans.length) spans = java.util.Arrays.copyOf(spans, spans.length * 2);
            spans[2 * i] = start;
            spans[2 * i + 1] = pos - start;
        }

        public void section(String name, MemorySegment bytes) throws IOException {
            if (bytes.isNative()) {
                section(name, bytes.asByteBuffer());
            } else {
                section(name, ByteBuffer.wrap(bytes.toArray(ValueLayout.JAVA_BYTE)));
            }
        }

        public void longs(String name, long[] a) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.nativeOrder());
            b.asLongBuffer().put(a);
            section(name, b);
        }

        public void ints(String name, int[] a) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.nativeOrder());
            b.asIntBuffer().put(a);
            section(name, b);
        }

        public void doubles(String name, double[] a) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.nativeOrder());
            b.asDoubleBuffer().put(a);
            section(name, b);
        }

        public void bytes(String name, byte[] a) throws IOException { section(name, ByteBuffer.wrap(a)); }

        /** Writes the table of contents and the footer, and closes the file. */
        public void finish() throws IOException {
            align();
            long tocOffset = pos;
            Integer[] order = new Integer[names.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> java.util.Arrays.compareUnsigned(names.get(a), names.get(b)));
            ByteArrayOutputStream toc = new ByteArrayOutputStream();
            ByteBuffer entry = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
            toc.write(entry.putInt(0, order.length).array(), 0, 4);
            byte[] previous = null;
            for (int i : order) {
                byte[] n = names.get(i);
                if (previous != null && java.util.Arrays.equals(previous, n)) {
                    throw new IllegalArgumentException("section " + new String(n, StandardCharsets.UTF_8) + " twice");
                }
                previous = n;
                toc.write(entry.putInt(0, n.length).array(), 0, 4);
                toc.writeBytes(n);
                toc.write(entry.putLong(0, spans[2 * i]).putLong(8, spans[2 * i + 1]).array(), 0, 16);
            }
            write(ByteBuffer.wrap(toc.toByteArray()));
            ByteBuffer f = ByteBuffer.allocate(FOOTER).order(ByteOrder.nativeOrder());
            f.putLong(tocOffset).putLong(crc.getValue()).putLong(END).flip();
            while (f.hasRemaining()) pos += ch.write(f);
            finished = true;
            ch.close();
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                ch.close();
                java.nio.file.Files.deleteIfExists(path);
            }
        }
    }

    /**
     * A mapped, checked section file. Its sections stay valid while the reader is reachable (the
     * arena is automatic). The table of contents stays in the mapping: the heap holds one position
     * per section, and a lookup is a binary search over the sorted names, so a segment of a hundred
     * thousand columns costs no map of a million entries.
     */
    public static final class Reader {
        private final Path path;
        private final MemorySegment file;
        private final long[] entries; // file position of each table entry, in name order

        private Reader(Path path, MemorySegment file, long[] entries) {
            this.path = path;
            this.file = file;
            this.entries = entries;
        }

        public Path path() { return path; }

        /** The named section, or null when the file has none by that name. */
        public MemorySegment section(String name) {
            MemorySegment probe = MemorySegment.ofArray(name.getBytes(StandardCharsets.UTF_8));
            int lo = 0;
            int hi = entries.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = entries[mid];
                int n = file.get(ValueLayout.JAVA_INT_UNALIGNED, at);
                int c = StringDictionary.compare(file.asSlice(at + 4, n), probe);
                if (c < 0) lo = mid + 1;
                else if (c > 0) hi = mid - 1;
                else return file.asSlice(file.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 4 + n), file.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 12 + n));
            }
            return null;
        }

        /** The named section, or a {@link CorruptFileException} naming the file. */
        public MemorySegment require(String name) {
            MemorySegment s = section(name);
            if (s == null) throw new CorruptFileException(path, "it has no section " + name);
            return s;
        }

        public boolean has(String name) { return section(name) != null; }

        /** Bytes mapped. */
        public long size() { return file.byteSize(); }
    }

    /**
     * Maps {@code path}, checks its header ({@code kind}, version, byte order) and its footer's
     * checksum over the whole file, and reads its table of contents. A file that fails any check is
     * a {@link CorruptFileException} naming it and the failure; nothing is trusted before that.
     */
    public static Reader open(Path path, int kind) throws IOException {
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + FOOTER) throw new CorruptFileException(path, "it is " + size + " bytes long, shorter than a header and footer");
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
        }
        ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
        ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
        long size = file.byteSize();
        if (file.get(LONG, 0) != MAGIC) throw new CorruptFileException(path, "it is not a Strata file (bad magic)");
        if (file.get(INT, 8) != kind) throw new CorruptFileException(path, "it is a file of another kind (" + file.get(INT, 8) + ")");
        if (file.get(INT, 12) != VERSION) throw new CorruptFileException(path, "its format version is " + file.get(INT, 12) + ", this node reads " + VERSION);
        if (file.get(INT, 16) != ORDER) throw new CorruptFileException(path, "it was written on a machine of the other byte order");
        if (file.get(LONG, size - 8) != END) throw new CorruptFileException(path, "its footer is missing (a truncated file?)");
        long tocOffset = file.get(LONG, size - FOOTER);
        long stored = file.get(LONG, size - FOOTER + 8);
        CRC32C crc = new CRC32C();
        long checked = size - FOOTER;
        for (long at = 0; at < checked; at += Integer.MAX_VALUE) {
            crc.update(file.asSlice(at, Math.min(Integer.MAX_VALUE, checked - at)).asByteBuffer());
        }
        if (crc.getValue() != stored) throw new CorruptFileException(path, "its checksum does not match its bytes (a damaged file)");
        if (tocOffset < HEADER || tocOffset > checked) throw new CorruptFileException(path, "its table of contents is out of place");
        long at = tocOffset;
        int count = file.get(INT, at);
        at += 4;
        if (count < 0 || count > (checked - tocOffset) / 20) throw new CorruptFileException(path, "its table of contents is damaged");
        long[] entries = new long[count];
        MemorySegment previous = null;
        for (int i = 0; i < count; i++) {
            entries[i] = at;
            int n = file.get(INT, at);
            if (n < 0 || at + 20 + n > checked) throw new CorruptFileException(path, "its table of contents is damaged");
            MemorySegment name = file.asSlice(at + 4, n);
            long offset = file.get(LONG, at + 4 + n);
            long length = file.get(LONG, at + 12 + n);
            if (offset < HEADER || length < 0 || offset + length > tocOffset) {
                throw new CorruptFileException(path, "section " + new String(name.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8) + " is out of place");
            }
            if (previous != null && StringDictionary.compare(previous, name) >= 0) throw new CorruptFileException(path, "its table of contents is out of order");
            previous = name;
            at += 20 + n;
        }
        Reader r = new Reader(path, file, entries);
        return r;
    }
}
