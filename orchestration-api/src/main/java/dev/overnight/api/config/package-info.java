/**
 * The configuration of an overnight run, as immutable records matching the JSON config file
 * (snake_case keys there, camelCase components here).
 *
 * <p>Records here hold already-validated values; loading, validating and saving JSON is done by
 * {@code dev.overnight.core.config.ConfigLoader}. Every problem found while loading is reported at
 * once through {@link dev.overnight.api.config.ConfigException}.
 */
package dev.overnight.api.config;
