/**
 * Typed replies shared by the HTTP API (which writes them) and the CLI (which reads them back):
 * one shape on both sides instead of the CLI casting maps. May use exec's reports; never http or cli.
 */
package dev.strata.node.api;
