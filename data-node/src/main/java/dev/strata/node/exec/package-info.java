/** Query execution over segments: tier discovery, filtering in batches, scoring, sorting, paging. */
package dev.strata.node.exec;
