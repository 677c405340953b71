/**
 * The tiers installed in the node: created by the factories {@code ServiceLoader} finds, asked for
 * their capabilities through engine-core's SPI. Planning and execution use it; it knows nothing of
 * them, and names no tier type.
 */
package dev.strata.node.tier;
