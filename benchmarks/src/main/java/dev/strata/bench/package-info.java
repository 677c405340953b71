/** JMH benchmarks; run with {@code ./strata bench} (see README). Never part of the test suite. */
package dev.strata.bench;
