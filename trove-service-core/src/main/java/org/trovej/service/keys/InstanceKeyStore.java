package org.trovej.service.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.trovej.common.crypto.TroveCrypto;
import org.trovej.service.TroveProperties;

/**
 * Per-instance RPC keys: generated and sealed with {@code inst_rpc_key_encr_key} when an instance record is
 * made, opened when a guest's message must be read. Opened keys are cached (a key never changes for the life
 * of an instance), so the conductor does not hit the database for every heartbeat.
 */
@Component
public class InstanceKeyStore {

    private static final int CACHE_SIZE = 100_000;
    private static final String NO_KEY = "";

    private final JdbcTemplate jdbc;
    private final TroveProperties.Keys keys;
    private final Map<String, String> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public InstanceKeyStore(JdbcTemplate jdbc, TroveProperties properties) {
        this.jdbc = jdbc;
        this.keys = properties.keys();
    }

    /** A new key and its sealed form for {@code instances.encrypted_key}; null when secure messaging is off. */
    public NewKey newKey() {
        if (!keys.secureRpcMessaging()) {
            return null;
        }
        String key = TroveCrypto.newInstanceKey();
        return new NewKey(key, seal(key));
    }

    public String seal(String key) {
        return TroveCrypto.encrypt(key, keys.instRpcKeyEncrKey());
    }

    /** The instance's key, or null when it has none (plaintext instance) or does not exist. */
    public String keyOf(String instanceId) {
        synchronized (cache) {
            String cached = cache.get(instanceId);
            if (cached != null) {
                return cached.isEmpty() ? null : cached;
            }
        }
        List<String> sealed = jdbc.query("SELECT encrypted_key FROM instances WHERE id = ?",
                (rs, n) -> rs.getString(1), instanceId);
        if (sealed.isEmpty()) {
            return null; // not cached: the instance may be created in a moment
        }
        String key = sealed.get(0) == null ? NO_KEY : TroveCrypto.decrypt(sealed.get(0), keys.instRpcKeyEncrKey());
        synchronized (cache) {
            cache.put(instanceId, key);
        }
        return key.isEmpty() ? null : key;
    }

    /** A key and the text stored in {@code instances.encrypted_key}. */
    public record NewKey(String key, String sealed) {
        @Override
        public String toString() {
            return "NewKey[sealed]";
        }
    }
}
