/** How the starter maps properties, assembles the runtime and reports it; not a public API. */
package dev.overnight.spring.boot.internal;
