package dev.strata.core;

/**
 * Every failure Strata reports carries one of these codes. The {@link Kind} decides how an edge
 * (the HTTP layer, the CLI) presents it: a user error is the caller's to fix, a resource error
 * means a limit was hit, an internal error is Strata's bug.
 */
public enum ErrorCode {
    QUERY_SYNTAX(Kind.USER),
    QUERY_TOO_LONG(Kind.USER),
    QUERY_TOO_DEEP(Kind.USER),
    LIST_TOO_LONG(Kind.USER),
    INVALID_LITERAL(Kind.USER),
    TYPE_MISMATCH(Kind.USER),
    UNKNOWN_FUNCTION(Kind.USER),
    WRONG_ARGUMENTS(Kind.USER),
    UNSUPPORTED(Kind.USER),
    INTEGER_OVERFLOW(Kind.USER),
    INVALID_JSON(Kind.USER),
    TIER_NOT_INSTALLED(Kind.USER),
    UDF_FAILED(Kind.USER),
    /** A field that no document of the collection has, refused because the request asked to be strict. */
    UNKNOWN_FIELD(Kind.USER),
    /** A collection, document or route that does not exist. */
    NOT_FOUND(Kind.USER),
    /** Something with that name exists already. */
    ALREADY_EXISTS(Kind.USER),
    /** A request that is malformed apart from its JSON or query text (bad parameter, wrong content type). */
    INVALID_REQUEST(Kind.USER),
    /** A request without a token (or with one the node does not know) where its scope needs one: HTTP 401. */
    UNAUTHORIZED(Kind.USER),
    /** A request whose token is known but of a scope too low for it (a read token writing): HTTP 403. */
    FORBIDDEN(Kind.USER),
    /** A request body of a media type the endpoint does not read. */
    WRONG_CONTENT_TYPE(Kind.USER),
    /** A request body over the configured limit. */
    TOO_LARGE(Kind.USER),
    /** A condition over several arrays of one document that would try too many element combinations. */
    TOO_MANY_COMBINATIONS(Kind.USER),
    /** A document that would take its collection past its limit on distinct field paths. */
    FIELD_LIMIT_EXCEEDED(Kind.USER),
    /** A memory budget (of the request, or the node's) would be crossed: HTTP 429, retry later or ask for less. */
    RESOURCE_EXHAUSTED(Kind.RESOURCE),
    /** Not ready or too busy to serve now (a module still loading, every instance busy): HTTP 503, retry later. */
    UNAVAILABLE(Kind.RESOURCE),
    /**
     * A collection whose files cannot be written (disk full, read-only directory, I/O error) refuses
     * writes until a commit succeeds again; reads go on: HTTP 503.
     */
    READ_ONLY(Kind.RESOURCE),
    DEADLINE_EXCEEDED(Kind.RESOURCE),
    INTERNAL(Kind.INTERNAL);

    /** Who is to act on an error of this code. */
    public enum Kind { USER, RESOURCE, INTERNAL }

    private final Kind kind;

    ErrorCode(Kind kind) { this.kind = kind; }

    public Kind kind() { return kind; }
}
