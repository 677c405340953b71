/** The command line ({@code ./strata run}); it may use every other package of the node. */
package dev.strata.node.cli;
