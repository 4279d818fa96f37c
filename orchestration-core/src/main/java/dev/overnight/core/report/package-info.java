/** The morning report: what happened overnight, as Markdown and HTML in the state folder. */
package dev.overnight.core.report;
