package org.trovej.api.web;

/** One entry of a {@code links} array, keys in the order Trove writes them. */
public record Link(String href, String rel) {
}
