package org.trovej.api.objectstore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A store request's path, {@code /v1/AUTH_<project>[/<container>[/<object>]]}, read from the raw (still
 * percent-encoded) request URI rather than from Spring's path variables, which drop {@code ;} parameters and
 * decode per segment. Swift decodes the whole path, so {@code %2F} in an object name is a {@code /}. Whatever
 * could leave the account's directory is refused here, before a file name is ever made: NUL, {@code .} and
 * {@code ..} segments, a container with a slash.
 *
 * @param object null for a container request, never empty otherwise
 */
record StorePath(String project, String container, String object) {

    static final String ROOT = "/v1/";
    private static final String ACCOUNT_PREFIX = "AUTH_";
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    static final int MAX_CONTAINER_BYTES = 256;
    static final int MAX_OBJECT_BYTES = 1024;

    /**
     * @param rawPath the request URI without the context path, as the client sent it
     */
    static StorePath parse(String rawPath) {
        if (!rawPath.startsWith(ROOT + ACCOUNT_PREFIX)) {
            throw StoreException.notFound();
        }
        String rest = rawPath.substring(ROOT.length() + ACCOUNT_PREFIX.length());
        int slash = rest.indexOf('/');
        String project = decode(slash < 0 ? rest : rest.substring(0, slash));
        if (!PROJECT.matcher(project).matches()) {
            throw StoreException.notFound();
        }
        if (slash < 0 || slash == rest.length() - 1) {
            return new StorePath(project, null, null);
        }
        rest = rest.substring(slash + 1);
        slash = rest.indexOf('/');
        String container = decode(slash < 0 ? rest : rest.substring(0, slash));
        checkContainer(container);
        String object = slash < 0 || slash == rest.length() - 1 ? null : decode(rest.substring(slash + 1));
        if (object != null) {
            checkObject(object);
        }
        return new StorePath(project, container, object);
    }

    static void checkContainer(String container) {
        if (container.isEmpty() || container.indexOf('/') >= 0 || container.indexOf('\0') >= 0
                || container.equals(".") || container.equals("..")) {
            throw StoreException.badRequest("Invalid container name");
        }
        if (container.getBytes(StandardCharsets.UTF_8).length > MAX_CONTAINER_BYTES) {
            throw StoreException.badRequest("Container name length of " + container.length() + " longer than "
                    + MAX_CONTAINER_BYTES);
        }
    }

    static void checkObject(String object) {
        if (object.isEmpty() || object.indexOf('\0') >= 0) {
            throw StoreException.badRequest("Invalid object name");
        }
        for (String segment : object.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw StoreException.badRequest("Object name contains a '.' or '..' path segment");
            }
        }
        if (object.getBytes(StandardCharsets.UTF_8).length > MAX_OBJECT_BYTES) {
            throw StoreException.badRequest("Object name length of " + object.length() + " longer than "
                    + MAX_OBJECT_BYTES);
        }
    }

    /** Strict percent-decoding (UTF-8; a bad escape or bad UTF-8 is a 400; '+' is a plus, as in a path). */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw StoreException.badRequest("Invalid percent-encoding in the path");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw StoreException.badRequest("Invalid percent-encoding in the path");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw StoreException.badRequest("Invalid UTF8 or contains NULL");
        }
    }
}
