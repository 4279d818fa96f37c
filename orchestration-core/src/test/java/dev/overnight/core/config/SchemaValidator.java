package dev.overnight.core.config;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.stream.Collectors;

/** Validates config text against the published JSON Schema with an independent validator. */
final class SchemaValidator {
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(ConfigLoader.schema());

  private SchemaValidator() {}

  /**
   * The schema's complaints about {@code json}; a document that does not parse is one complaint.
   */
  static List<String> errors(String json) {
    try {
      return SCHEMA.validate(json, InputFormat.JSON).stream()
          .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
          .collect(Collectors.toList());
    } catch (RuntimeException e) {
      return List.of("unparseable: " + e.getMessage());
    }
  }
}
