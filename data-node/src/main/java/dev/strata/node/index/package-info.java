/**
 * Per-segment indexes built once when a segment is sealed: an exists bitmap per path, a posting
 * bitmap per keyword value, and sorted (value, document) pairs per numeric and temporal kind for
 * ranges. Index structures are immutable after build and shared by all queries; a query never
 * mutates a bitmap it did not allocate. No HTTP, planning or storage code here.
 */
package dev.strata.node.index;
