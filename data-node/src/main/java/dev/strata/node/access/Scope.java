package dev.strata.node.access;

import java.util.Locale;

/** What a request needs, lowest first; a token of a higher scope may do what a lower one may. */
public enum Scope {
    /** Anyone who reaches the port: health, the console's static files. */
    PUBLIC,
    /** Read documents, query, list and describe collections and modules, metrics. */
    READ,
    /** Write and delete documents, refresh. */
    WRITE,
    /** Create and drop collections, register and unload UDF modules. */
    ADMIN;

    /** The scope as written in messages and settings: {@code read}, {@code write}, {@code admin}. */
    public String display() { return name().toLowerCase(Locale.ROOT); }
}
