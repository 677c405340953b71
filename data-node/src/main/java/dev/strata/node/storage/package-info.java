/** Storage: reading documents into segments (durable storage and the WAL come with the data node issue). */
package dev.strata.node.storage;
