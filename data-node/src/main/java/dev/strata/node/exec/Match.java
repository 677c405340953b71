package dev.strata.node.exec;

import dev.strata.core.value.Value;

/** A matching document while it is ranked: where it is, its score, and its sort keys (null when unranked). */
record Match(int segment, int doc, double score, Value[] keys) {}
