package dev.strata.node.access;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The node's tokens and what each grants. The admin token always exists (configured, or
 * generated at first start). A read or write token is optional: without one, that scope is open
 * to anyone who reaches the port, as on a loopback-only node by default; configuring a read token
 * closes writes too (guarding reads but not writes makes no sense). Admin is never open.
 *
 * <p>A given token is compared with every configured one by their SHA-256 digests with {@link
 * MessageDigest#isEqual}, all of them every time, so the time taken says nothing about which
 * token or how much of one matched. Messages name the scope a request needs and never a server
 * path. Immutable and thread-safe.
 */
public final class AccessTokens {
    private final byte[] admin;
    private final byte[] write;
    private final byte[] read;

    /** {@code write} and {@code read} may be null (that scope configured open); none may be blank. */
    public AccessTokens(String admin, String write, String read) {
        this.admin = digest(check(admin, Scope.ADMIN));
        this.write = write == null ? null : digest(check(write, Scope.WRITE));
        this.read = read == null ? null : digest(check(read, Scope.READ));
    }

    private static String check(String token, Scope scope) {
        if (token == null || token.isBlank()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "the " + scope.display() + " token must not be empty: an empty token"
                    + " would let anyone in");
        }
        return token;
    }

    /** True when a request needs no token for {@code scope}. */
    public boolean open(Scope scope) {
        return switch (scope) {
            case PUBLIC -> true;
            case READ -> read == null;
            case WRITE -> write == null && read == null;
            case ADMIN -> false;
        };
    }

    /** True when a read and a write token are configured: nothing but health is open. */
    public boolean closed() { return read != null && write != null; }

    /** The highest scope {@code token} grants (PUBLIC for null or an unknown token). */
    public Scope granted(String token) {
        if (token == null || token.isEmpty()) return Scope.PUBLIC;
        byte[] d = digest(token);
        // every comparison runs: no early exit tells which token matched
        boolean isAdmin = MessageDigest.isEqual(d, admin);
        boolean isWrite = write != null && MessageDigest.isEqual(d, write);
        boolean isRead = read != null && MessageDigest.isEqual(d, read);
        return isAdmin ? Scope.ADMIN : isWrite ? Scope.WRITE : isRead ? Scope.READ : Scope.PUBLIC;
    }

    /**
     * Refuses a request that needs {@code needed} with {@code token}: UNAUTHORIZED (401) without a
     * token the node knows, FORBIDDEN (403) with a known token of a lower scope.
     */
    public void require(Scope needed, String token) {
        if (open(needed)) return;
        Scope has = granted(token);
        if (has.compareTo(needed) >= 0) return;
        String which = needed == Scope.ADMIN ? "the admin token" : "a " + needed.display() + (needed == Scope.READ ? ", write" : "")
                + " or admin token";
        if (has == Scope.PUBLIC) {
            throw new StrataException(ErrorCode.UNAUTHORIZED, "this request needs the " + needed.display() + " scope: send"
                    + " 'Authorization: Bearer <token>' with " + which + (token == null || token.isEmpty() ? "" : "; the token sent is not"
                    + " one this node knows"));
        }
        throw new StrataException(ErrorCode.FORBIDDEN, "a " + has.display() + " token does not allow this request: it needs the "
                + needed.display() + " scope (" + which + ")");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
