/**
 * The files a collection keeps its sealed segments and commit points in, and their formats: one
 * sectioned, checksummed file per segment for columns, dictionaries, ids and indexes (mapped, never
 * loaded), one for its stored sources (compressed blocks), and a commit point naming the live
 * segments with their deletes. Nothing here is edited in place: files are written whole, made
 * durable, and named by a commit point written last. May use engine-core's segment classes and the
 * node's index; never the HTTP layer or the query path.
 */
package dev.strata.node.storage.files;
