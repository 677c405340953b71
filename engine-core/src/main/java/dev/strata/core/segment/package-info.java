/**
 * Columnar segments: flattened paths, per-kind element masks, code-point-sorted string
 * dictionaries. Built once, then read-only and shared between threads.
 */
package dev.strata.core.segment;
