/** Values, field paths, JSON, code-point string order and date/time literals. */
package dev.strata.core.value;
