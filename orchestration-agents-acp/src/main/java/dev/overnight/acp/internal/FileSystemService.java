package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Serves {@code fs/read_text_file} and {@code fs/write_text_file}, confined to the worktree.
 *
 * <p>Reads are capped (a text file larger than the cap is refused rather than sent as a message the
 * agent may not accept); writes create missing parent folders and never follow a link at the file
 * itself. Thread-safe.
 */
final class FileSystemService {
  private final Confinement confinement;
  private final long maxReadBytes;
  private final boolean missingReadsEmpty;

  /**
   * @param missingReadsEmpty whether a missing file inside the worktree reads as empty content
   *     rather than a "resource not found" error, for agents that cannot handle that error
   */
  FileSystemService(Confinement confinement, long maxReadBytes, boolean missingReadsEmpty) {
    this.confinement = confinement;
    this.maxReadBytes = maxReadBytes;
    this.missingReadsEmpty = missingReadsEmpty;
  }

  JsonNode read(JsonNode params) throws RpcException {
    String pathText = Json.text(params, "path", null);
    Path path = confinement.resolve(pathText);
    try {
      if (missingReadsEmpty && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        ObjectNode empty = Json.object();
        empty.put("content", "");
        return empty;
      }
      if (!Files.isRegularFile(path)) {
        throw notFound(pathText, Files.exists(path) ? "not a regular file" : "no such file");
      }
      long size = Files.size(path);
      if (size > maxReadBytes) {
        throw new RpcException(
            RpcException.INVALID_PARAMS,
            "Refused to read "
                + pathText
                + ": "
                + size
                + " bytes is more than the limit of "
                + maxReadBytes);
      }
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
              .toString();
      text = slice(text, params.path("line").asInt(0), params.path("limit").asInt(0));
      ObjectNode result = Json.object();
      result.put("content", text);
      return result;
    } catch (NoSuchFileException e) {
      throw notFound(pathText, "no such file");
    } catch (IOException e) {
      throw new RpcException(
          RpcException.INTERNAL_ERROR, "Internal error: reading " + pathText + " failed: " + e);
    }
  }

  JsonNode write(JsonNode params) throws RpcException {
    String pathText = Json.text(params, "path", null);
    JsonNode content = params == null ? null : params.get("content");
    if (content == null || !content.isTextual()) {
      throw new RpcException(RpcException.INVALID_PARAMS, "Invalid params: content is required");
    }
    Path path = confinement.resolve(pathText);
    try {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new RpcException(
            RpcException.INVALID_PARAMS, "Cannot write " + pathText + ": it is a directory");
      }
      Path parent = path.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
        // The folders just created could have raced with a link; check the parent again.
        confinement.resolve(parent.toString());
      }
      try (OutputStream out =
          Files.newOutputStream(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        out.write(content.asText().getBytes(StandardCharsets.UTF_8));
      }
      return Json.object();
    } catch (IOException e) {
      throw new RpcException(
          RpcException.INTERNAL_ERROR, "Internal error: writing " + pathText + " failed: " + e);
    }
  }

  /** Lines {@code line} (1-based) onwards, at most {@code limit} of them; 0 means no bound. */
  static String slice(String text, int line, int limit) {
    if (line <= 1 && limit <= 0) {
      return text;
    }
    int start = 0;
    for (int i = 1; i < Math.max(line, 1); i++) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        return "";
      }
      start = nl + 1;
    }
    if (limit <= 0) {
      return text.substring(start);
    }
    int end = start;
    for (int i = 0; i < limit; i++) {
      int nl = text.indexOf('\n', end);
      if (nl < 0) {
        return text.substring(start);
      }
      end = nl + 1;
    }
    return text.substring(start, end);
  }

  private static RpcException notFound(String path, String why) {
    ObjectNode data = Json.object();
    data.put("uri", path);
    return new RpcException(
        RpcException.RESOURCE_NOT_FOUND, "Resource not found: " + path + " (" + why + ")", data);
  }
}
