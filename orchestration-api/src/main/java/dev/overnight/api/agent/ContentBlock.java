package dev.overnight.api.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * A piece of content in a message or tool call: text, a link to a resource, an embedded resource,
 * an image, or a kind this version does not know.
 *
 * @since 0.1.0
 */
public sealed interface ContentBlock {

  /** The text of this block where it has one, for logs and reports. */
  String asText();

  /** Plain text (Markdown by convention). */
  record Text(String text) implements ContentBlock {
    /** Validates the text. */
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String asText() {
      return text;
    }
  }

  /** A reference to a resource the agent can read, e.g. a file. */
  record ResourceLink(String uri, String name) implements ContentBlock {
    /** Validates the components. */
    public ResourceLink {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String asText() {
      return uri;
    }
  }

  /** A resource embedded with its text contents. */
  record Resource(String uri, Optional<String> text, Optional<String> mimeType)
      implements ContentBlock {
    /** Validates the components. */
    public Resource {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(mimeType, "mimeType");
    }

    @Override
    public String asText() {
      return text.orElse(uri);
    }
  }

  /** An image, base64-encoded. */
  record Image(String mimeType, String data) implements ContentBlock {
    /** Validates the components. */
    public Image {
      Objects.requireNonNull(mimeType, "mimeType");
      Objects.requireNonNull(data, "data");
    }

    @Override
    public String asText() {
      return "[image " + mimeType + "]";
    }
  }

  /** A content kind this version does not know, kept as raw JSON. */
  record Other(String type, String json) implements ContentBlock {
    /** Validates the components. */
    public Other {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(json, "json");
    }

    @Override
    public String asText() {
      return "[" + type + "]";
    }
  }
}
