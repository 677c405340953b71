/**
 * The node's own health: background work that runs on a schedule and survives any failure of one
 * run (it is logged at ERROR, retried with back-off and shown on {@code /health} until it
 * recovers), and the one place that decides what a fatal JVM error (an OutOfMemoryError) does to
 * the process. May use storage and the tiers' health; never the HTTP layer.
 */
package dev.strata.node.health;
