/**
 * The Java side of the example UDFs: where the committed modules are, and the same functions in
 * plain Java. The modules themselves are built from {@code examples/<language>/} by
 * {@code examples/build.sh}; see {@code docs/udf-guide.md}. Depends on engine-core only (for the signature file format).
 */
package dev.strata.examples;
