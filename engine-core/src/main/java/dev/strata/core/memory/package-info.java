/**
 * Memory budgets in the manner of Elasticsearch's circuit breakers: each query accounts the big
 * allocations it makes (UDF results, any-match expansions, sort buffers, hits and the response)
 * against its own {@link dev.strata.core.memory.MemoryBudget}, under one node-wide
 * {@link dev.strata.core.memory.MemoryBreaker} tied to real heap use. Crossing either fails that
 * request with RESOURCE_EXHAUSTED naming what was too big; nothing else is affected. JDK only.
 */
package dev.strata.core.memory;
