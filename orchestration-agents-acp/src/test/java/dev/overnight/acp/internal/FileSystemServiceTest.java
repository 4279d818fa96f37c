package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemServiceTest {
  @TempDir Path root;

  private FileSystemService service(boolean missingReadsEmpty) throws Exception {
    return new FileSystemService(new Confinement(root), 1024, missingReadsEmpty);
  }

  private static ObjectNode path(String path) {
    ObjectNode params = Json.object();
    params.put("path", path);
    return params;
  }

  private static int code(Throwable e) {
    return ((RpcException) e).code();
  }

  @Test
  void aMissingFileIsResourceNotFound() throws Exception {
    assertThatThrownBy(() -> service(false).read(path("new.txt")))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("Resource not found")
        .satisfies(e -> assertThat(code(e)).isEqualTo(RpcException.RESOURCE_NOT_FOUND));
  }

  @Test
  void forAgentsThatNeedItAMissingFileReadsEmptyButEverythingElseStaysAsItWas() throws Exception {
    FileSystemService service = service(true);
    assertThat(service.read(path("new/file.txt")).get("content").asText()).isEmpty();

    Files.writeString(root.resolve("kept.txt"), "kept\n");
    assertThat(service.read(path("kept.txt")).get("content").asText()).isEqualTo("kept\n");
    Files.createDirectories(root.resolve("folder"));
    assertThatThrownBy(() -> service.read(path("folder")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(RpcException.RESOURCE_NOT_FOUND));
    assertThatThrownBy(() -> service.read(path("../outside.txt")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(RpcException.INVALID_PARAMS));
  }
}
