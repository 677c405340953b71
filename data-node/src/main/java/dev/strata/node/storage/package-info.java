/**
 * Storage: a collection's write path and its durable state. {@link dev.strata.node.storage.Collection}
 * is the API (writes, reads by id, refresh, merge, commit); {@link dev.strata.node.storage.WritePath}
 * checks, logs and buffers writes (with back-pressure while the buffer is full);
 * {@link dev.strata.node.storage.LogWriter} owns the log generations and turns the collection
 * read-only when a write cannot be made durable; {@link dev.strata.node.storage.DocumentTable}
 * knows where each live document is; {@link dev.strata.node.storage.Maintenance} seals, merges and
 * commits; {@link dev.strata.node.storage.Recovery} is what a start does; the
 * {@link dev.strata.node.storage.WriteAheadLog} holds acknowledged writes until a commit point covers
 * them. The file formats live in {@code storage.files}.
 */
package dev.strata.node.storage;
