package dev.overnight.docs.mappers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** What the one-mapper rule must catch: a class making Jackson mappers of its own. */
public final class MakesItsOwnMapper {
  private MakesItsOwnMapper() {}

  /** A mapper by its constructor. */
  public static ObjectMapper constructed() {
    return new ObjectMapper();
  }

  /** A mapper by the builder. */
  public static ObjectMapper built() {
    return JsonMapper.builder().build();
  }

  /** A mapper by copying another. */
  public static ObjectMapper copied(ObjectMapper shared) {
    return shared.copy();
  }
}
