package dev.overnight.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Validates JSON against the published schemas of {@code docs/schema/} with an independent
 * validator, loading them (and the schemas they refer to) from the classpath, where core's jar
 * carries them.
 */
public final class ShapeSchemas {
  private static final String BASE = "https://overnight.dev/schema/";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b ->
              b.schemaIdResolvers(
                      r ->
                          r.mapPrefix(
                              BASE, "classpath:" + OvernightJson.SCHEMA_FOLDER.substring(1)))
                  .schemaRegistryConfig(
                      com.networknt.schema.SchemaRegistryConfig.builder()
                          .formatAssertionsEnabled(true)
                          .build()));

  private ShapeSchemas() {}

  /**
   * The schema's complaints about {@code json}.
   *
   * @param schema a schema file, optionally with a fragment: {@code task.schema.json} or {@code
   *     http-api.schema.json#/$defs/status}
   */
  public static List<String> errors(String schema, String json) {
    Schema s = REGISTRY.getSchema(SchemaLocation.of(BASE + schema));
    return s.validate(json, InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }

  /** As {@link #errors(String, String)}, for a tree. */
  public static List<String> errors(String schema, JsonNode json) {
    return errors(schema, OvernightJson.write(json));
  }
}
