/**
 * Who may do what: the scopes a request needs (read, write, admin) and the tokens that grant
 * them. Knows nothing of storage, queries or HTTP; the HTTP layer asks it per route.
 */
package dev.strata.node.access;
