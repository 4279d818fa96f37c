package dev.overnight.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol's own JSON schema (schema/v1/schema.json from the official npm package), used to
 * check every message the client sent in a session, method by method: request params against the
 * request type of that method, results against the response type of the agent's request they
 * answer, errors against the error type.
 */
final class AcpSchema {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode defs;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new HashMap<>();

  private AcpSchema(JsonNode defs) {
    this.defs = defs;
  }

  static AcpSchema load() throws Exception {
    Path file =
        NodePeers.folder().resolve("node_modules/@agentclientprotocol/sdk/schema/v1/schema.json");
    return new AcpSchema(MAPPER.readTree(Files.readString(file)).get("$defs"));
  }

  /**
   * Every problem with the client's messages in a transcript (empty when all are valid), each
   * naming the message.
   */
  List<String> checkClientMessages(Path transcript) throws Exception {
    Map<String, String> agentRequests = new HashMap<>();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String line : Files.readAllLines(transcript)) {
      JsonNode entry = MAPPER.readTree(line);
      JsonNode msg = entry.path("msg");
      String from = entry.path("from").asText();
      if (from.equals("agent") && msg.has("method") && msg.has("id")) {
        agentRequests.put(msg.get("id").toString(), msg.get("method").asText());
      }
      if (!from.equals("client")) {
        continue;
      }
      checked++;
      if (!"2.0".equals(msg.path("jsonrpc").asText())) {
        problems.add("no jsonrpc 2.0: " + msg);
      }
      if (msg.has("method")) {
        String method = msg.get("method").asText();
        String suffix = msg.has("id") ? "Request" : "Notification";
        Optional<String> def = definition(method, "agent", suffix);
        if (def.isEmpty()) {
          problems.add("no schema type for " + suffix.toLowerCase() + " " + method + ": " + msg);
        } else {
          problems.addAll(check(def.get(), msg.path("params"), msg));
        }
      } else if (msg.has("error")) {
        problems.addAll(check("Error", msg.get("error"), msg));
      } else {
        String method = agentRequests.get(msg.path("id").toString());
        Optional<String> def =
            method == null ? Optional.empty() : definition(method, "client", "Response");
        if (def.isEmpty()) {
          problems.add("a response to an unknown request: " + msg);
        } else {
          problems.addAll(check(def.get(), msg.path("result"), msg));
        }
      }
    }
    if (checked == 0) {
      problems.add("the transcript holds no client message");
    }
    return problems;
  }

  private Optional<String> definition(String method, String side, String suffix) {
    Iterator<Map.Entry<String, JsonNode>> it = defs.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode d = e.getValue();
      if (method.equals(d.path("x-method").asText())
          && side.equals(d.path("x-side").asText())
          && e.getKey().endsWith(suffix)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  private List<String> check(String def, JsonNode value, JsonNode whole) throws Exception {
    Schema schema = schemas.get(def);
    if (schema == null) {
      ObjectNode wrapper = MAPPER.createObjectNode();
      wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      wrapper.put("$ref", "#/$defs/" + def);
      wrapper.set("$defs", defs);
      schema = registry.getSchema(MAPPER.writeValueAsString(wrapper), InputFormat.JSON);
      schemas.put(def, schema);
    }
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(MAPPER.writeValueAsString(value), InputFormat.JSON)) {
      out.add(def + ": " + e.getMessage() + " in " + whole);
    }
    return out;
  }
}
