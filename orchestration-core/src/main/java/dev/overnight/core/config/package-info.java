/**
 * Loading, validating and saving the JSON configuration: {@link
 * dev.overnight.core.config.ConfigLoader} and {@link dev.overnight.core.config.ConfigWriter}, and
 * the JSON Schema that documents the format.
 */
package dev.overnight.core.config;
