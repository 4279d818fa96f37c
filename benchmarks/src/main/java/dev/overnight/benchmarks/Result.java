package dev.overnight.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark measured: the figures of its summary line, in order, and everything else for the
 * JSON file.
 *
 * @param summary key=value pairs of the summary line (ratios included)
 * @param details the full result, written as JSON
 */
record Result(Map<String, Object> summary, Map<String, Object> details) {

  Result {
    summary = new LinkedHashMap<>(summary);
    details = new LinkedHashMap<>(details);
  }
}
