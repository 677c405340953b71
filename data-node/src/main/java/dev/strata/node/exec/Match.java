package dev.strata.node.exec;

/** A matching document while it is ranked: where it is, its score, and the slot of its sort keys in {@link Ranking} (-1 when none). */
record Match(int segment, int doc, double score, int slot) {}
