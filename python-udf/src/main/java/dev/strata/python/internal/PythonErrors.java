package dev.strata.python.internal;

import dev.strata.core.Messages;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/** Python failures in plain words: the exception and where in the module it was raised. */
final class PythonErrors {
    private PythonErrors() {}

    /** {@code "ZeroDivisionError: division by zero (m.py, line 3)"}: the innermost frame in the module's own file. */
    static String describe(PolyglotException e, String file) {
        String function = null;
        int line = -1;
        // Python's own traceback has the raising line; polyglot frames only give the whole function.
        try {
            Value exc = e.getGuestObject();
            Value tb = exc != null && exc.hasMember("__traceback__") ? exc.getMember("__traceback__") : null;
            while (tb != null && !tb.isNull()) {
                Value code = tb.getMember("tb_frame").getMember("f_code");
                if (code.getMember("co_filename").asString().equals(file)) {
                    line = tb.getMember("tb_lineno").asInt();
                    function = code.getMember("co_name").asString();
                }
                tb = tb.getMember("tb_next");
            }
        } catch (RuntimeException ignored) {
            // a context that is closing cannot be asked; fall back to the polyglot frames
        }
        if (line < 0) {
            for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
                SourceSection s = f.getSourceLocation();
                if (f.isGuestFrame() && s != null && s.getSource().getName().equals(file)) {
                    function = f.getRootName();
                    line = s.getStartLine();
                    break;
                }
            }
        }
        String where = line < 0 ? "" : " (" + file + ", line " + line + (function == null || function.equals("<module>") ? "" : ", in " + function) + ")";
        // the message may be as long as the module made it ('E' * 50_000_000): cap it, keep where it was raised
        return Messages.cap(e.getMessage() == null ? "an exception" : e.getMessage(), 2000) + where;
    }
}
