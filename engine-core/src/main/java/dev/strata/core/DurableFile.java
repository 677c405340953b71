package dev.strata.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A small state file replaced whole: written to a new file, fsynced, then moved over the old
 * one, and the directory fsynced, so a crash leaves the old or the new. Used for module catalogs and a cluster member's
 * partition versions, catalog and kept modules.
 */
public final class DurableFile {
    private DurableFile() {}

    /** Replaces {@code file} with {@code bytes}; {@code what} names the file in the error. */
    public static void replace(Path file, byte[] bytes, String what) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            ByteBuffer b = ByteBuffer.wrap(bytes);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true); // the move itself survives a crash
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " " + file, e);
        }
    }
}
