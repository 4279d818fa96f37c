package dev.overnight.postgres.internal;

/**
 * One step of the schema: a version, a description and the SQL script (a resource beside this
 * class, named {@code V<version>__<description>.sql}).
 *
 * @param version the schema version this step produces
 * @param description what it adds, in words
 * @param script the resource file name
 */
public record Migration(int version, String description, String script) {}
