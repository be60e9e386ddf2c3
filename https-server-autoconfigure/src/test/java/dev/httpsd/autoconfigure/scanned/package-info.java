/** A handler the application tests find by component scan, kept apart from the other fixtures. */
package dev.httpsd.autoconfigure.scanned;
