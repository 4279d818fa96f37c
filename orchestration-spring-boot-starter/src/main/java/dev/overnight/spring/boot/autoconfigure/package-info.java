/** Spring Boot auto-configuration of Overnight, listed in {@code AutoConfiguration.imports}. */
package dev.overnight.spring.boot.autoconfigure;
