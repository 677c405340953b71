package dev.strata.node.storage.files;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.nio.file.Path;

/** A file that fails a check when it is opened: named, with what is wrong, so an operator can act. */
public final class CorruptFileException extends StrataException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(Path file, String what) {
        super(ErrorCode.INTERNAL, "the file " + file.getFileName() + " is damaged: " + what);
    }
}
