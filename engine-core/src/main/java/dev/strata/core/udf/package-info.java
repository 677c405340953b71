/** Help shared by the UDF tiers that is not part of the SPI: durable, content-addressed module storage. JDK only. */
package dev.strata.core.udf;
