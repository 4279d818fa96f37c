package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A JSON-RPC error object, sent or received. */
final class RpcException extends Exception {
  private static final long serialVersionUID = 1L;

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;
  static final int AUTH_REQUIRED = -32000;
  static final int RESOURCE_NOT_FOUND = -32002;

  private final int code;
  private final transient JsonNode data;

  RpcException(int code, String message, JsonNode data) {
    super(message);
    this.code = code;
    this.data = data;
  }

  RpcException(int code, String message) {
    this(code, message, null);
  }

  static RpcException fromWire(JsonNode error) {
    int code = error.path("code").asInt(INTERNAL_ERROR);
    String message = Json.text(error, "message", "(no message)");
    JsonNode data = error.get("data");
    return new RpcException(code, message, data == null || data.isNull() ? null : data);
  }

  int code() {
    return code;
  }

  Optional<JsonNode> data() {
    return Optional.ofNullable(data);
  }

  ObjectNode toWire() {
    ObjectNode error = Json.object();
    error.put("code", code);
    error.put("message", getMessage());
    if (data != null) {
      error.set("data", data);
    }
    return error;
  }

  /** The message and, when present, the data, for people. */
  String describe() {
    return getMessage() + (data == null ? "" : " " + Json.preview(data.toString(), 500));
  }
}
