package org.trovej.api.limits;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One of Trove's rate limits (trove/common/limits.py Limit): a leaky bucket of {@code value} requests per unit
 * for one verb and path pattern. Not thread-safe: {@link RateLimiter} guards each project's buckets.
 */
final class RateLimit {

    static final int PER_MINUTE = 60;

    final String verb;
    final String uri;
    final String regex;
    final int value;
    final int unit;
    private final Pattern pattern;
    private final double requestValue;
    private double waterLevel;
    private Double lastRequest;
    private Double nextRequest;
    private int remaining;

    RateLimit(String verb, String uri, String regex, int value, int unit) {
        this.verb = verb;
        this.uri = uri;
        this.regex = regex;
        this.value = value;
        this.unit = unit;
        this.pattern = Pattern.compile(regex);
        this.requestValue = (double) unit / value;
        this.remaining = value;
    }

    /** Trove's error_message. */
    String errorMessage() {
        return "Only " + value + " " + verb + " request(s) can be made to " + uri + " every "
                + unitName().toLowerCase(Locale.ROOT) + ".";
    }

    String unitName() {
        return switch (unit) {
            case 1 -> "SECOND";
            case 60 -> "MINUTE";
            case 3600 -> "HOUR";
            case 86400 -> "DAY";
            default -> "UNKNOWN";
        };
    }

    /**
     * Records a request at {@code now} (seconds). Returns the delay in seconds when the bucket is full (the request
     * is not counted), else null.
     */
    Double record(String requestVerb, String path, double now) {
        if (!verb.equals(requestVerb) || !pattern.matcher(path).lookingAt()) {
            return null;
        }
        if (lastRequest == null) {
            lastRequest = now;
        }
        double leak = now - lastRequest;
        waterLevel = Math.max(waterLevel - leak, 0) + requestValue;
        double difference = waterLevel - unit;
        lastRequest = now;
        if (difference > 0) {
            waterLevel -= requestValue;
            nextRequest = now + difference;
            return difference;
        }
        remaining = (int) Math.floor(((unit - waterLevel) / unit) * value);
        nextRequest = now;
        return null;
    }

    int remaining() {
        return remaining;
    }

    /** Trove's resetTime: when the next request will be taken, whole seconds since the epoch. */
    long resetTime(double now) {
        return (long) (nextRequest == null ? now : nextRequest);
    }
}
