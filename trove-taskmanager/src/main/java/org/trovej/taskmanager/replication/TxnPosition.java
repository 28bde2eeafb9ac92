package org.trovej.taskmanager.replication;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How far a replica has got, from its guest's {@code get_last_txn} answer ({@code [source id, txn]}), comparable
 * across the replicas of one source: a PostgreSQL LSN ({@code 16/B374D848}: high and low 32-bit halves, in hex), a
 * MariaDB GTID position ({@code 0-1-57}, or one per replication domain, comma-separated: the sequence numbers
 * summed — replicas of one source share its domains, so the one that executed more of them has the larger sum), or
 * a plain count. A string comparison would be wrong for both ({@code 0/9} sorts after {@code 0/10}).
 *
 * @param sourceId the source the replica says it follows (null when it does not say)
 */
public record TxnPosition(String sourceId, String txn, BigInteger order) implements Comparable<TxnPosition> {

    public static TxnPosition fromLastTxn(JsonNode reply) {
        if (reply == null || !reply.isArray() || reply.size() < 2) {
            throw new IllegalArgumentException("get_last_txn answered " + reply + ", not [source, txn]");
        }
        String source = reply.get(0).isNull() ? null : reply.get(0).asText();
        String txn = reply.get(1).isNull() ? null : reply.get(1).asText();
        return new TxnPosition(source, txn, order(txn));
    }

    /** The comparable order of a transaction id (zero for none). */
    public static BigInteger order(String txn) {
        if (txn == null || txn.isBlank()) {
            return BigInteger.ZERO;
        }
        String value = txn.trim();
        if (value.contains("/")) {
            String[] halves = value.split("/", 2);
            return new BigInteger(halves[0], 16).shiftLeft(32).add(new BigInteger(halves[1], 16));
        }
        if (value.contains("-")) {
            BigInteger sum = BigInteger.ZERO;
            for (String gtid : value.split(",")) {
                String[] parts = gtid.trim().split("-");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("not a GTID position: " + value);
                }
                sum = sum.add(new BigInteger(parts[2]));
            }
            return sum;
        }
        return new BigInteger(value);
    }

    @Override
    public int compareTo(TxnPosition other) {
        return order.compareTo(other.order);
    }
}
