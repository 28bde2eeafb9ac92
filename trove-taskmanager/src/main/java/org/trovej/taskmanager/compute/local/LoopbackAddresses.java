package org.trovej.taskmanager.compute.local;

/**
 * Ordinal n (1, 2, ...) → 127.x.y.z with x in 1..254, y in 0..255, z in 1..254: never 127.0.0.0/16 (the
 * host's own 127.0.0.1 and its neighbours), never 127.255.x.x, never a .0 or .255 host part. That is
 * 16,516,096 addresses before the ordinals wrap around.
 */
final class LoopbackAddresses {

    static final long CAPACITY = 254L * 256 * 254;

    private LoopbackAddresses() {
    }

    static String of(long ordinal) {
        if (ordinal < 1) {
            throw new IllegalArgumentException("ordinals start at 1");
        }
        long n = (ordinal - 1) % CAPACITY;
        long z = 1 + n % 254;
        long y = (n / 254) % 256;
        long x = 1 + n / (254 * 256);
        return "127." + x + "." + y + "." + z;
    }
}
