/**
 * Pipelines: multi-step tasks declared in a manifest, whose steps are {@link
 * dev.overnight.api.pipeline.PipelineOperation operations} found through {@link
 * java.util.ServiceLoader}, so an embedder adds its own beside the built-in ones.
 */
package dev.overnight.api.pipeline;
