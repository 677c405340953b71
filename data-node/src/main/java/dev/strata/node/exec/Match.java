package dev.strata.node.exec;

/**
 * A matching document while it is ranked: where it is, its score, the slot of its sort keys in
 * {@link Ranking} (-1 when none) and its id (the last tie-break, and what a cursor resumes after).
 */
record Match(int segment, int doc, double score, int slot, String id) {}
