package dev.strata.node.storage.files;

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
import java.util.LinkedHashMap;
import java.util.Map;
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
 * toc     count:int (nameLength:int name:utf8 offset:long length:long)*
 * footer  tocOffset:long crc32c:long "ENDSTRAT"                          (24 bytes)
 * </pre>
 */
public final class SectionFile {
    public static final int VERSION = 1;
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
        private final Map<String, long[]> toc = new LinkedHashMap<>();
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
            if (toc.containsKey(name)) throw new IllegalArgumentException("section " + name + " twice");
            align();
            long start = pos;
            write(bytes);
            toc.put(name, new long[] {start, pos - start});
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
            int size = 4;
            for (String n : toc.keySet()) size += 4 + n.getBytes(StandardCharsets.UTF_8).length + 16;
            ByteBuffer t = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
            t.putInt(toc.size());
            for (var e : toc.entrySet()) {
                byte[] n = e.getKey().getBytes(StandardCharsets.UTF_8);
                t.putInt(n.length).put(n).putLong(e.getValue()[0]).putLong(e.getValue()[1]);
            }
            t.flip();
            write(t);
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

    /** A mapped, checked section file. Its sections stay valid while the reader is reachable (the arena is automatic). */
    public static final class Reader {
        private final Path path;
        private final MemorySegment file;
        private final Map<String, MemorySegment> sections = new LinkedHashMap<>();

        private Reader(Path path, MemorySegment file) {
            this.path = path;
            this.file = file;
        }

        public Path path() { return path; }

        /** The named section, or null when the file has none by that name. */
        public MemorySegment section(String name) { return sections.get(name); }

        /** The named section, or a {@link CorruptFileException} naming the file. */
        public MemorySegment require(String name) {
            MemorySegment s = sections.get(name);
            if (s == null) throw new CorruptFileException(path, "it has no section " + name);
            return s;
        }

        public boolean has(String name) { return sections.containsKey(name); }

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
        Reader r = new Reader(path, file);
        long at = tocOffset;
        int count = file.get(INT, at);
        at += 4;
        for (int i = 0; i < count; i++) {
            int n = file.get(INT, at);
            at += 4;
            String name = new String(file.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            at += n;
            long offset = file.get(LONG, at);
            long length = file.get(LONG, at + 8);
            at += 16;
            if (offset < HEADER || offset + length > tocOffset) throw new CorruptFileException(path, "section " + name + " is out of place");
            r.sections.put(name, file.asSlice(offset, length));
        }
        return r;
    }
}
