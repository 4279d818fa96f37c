/** The overnight command: run, once, demo, doctor, config, queue, status, serve. */
package dev.overnight.cli;
