package org.trovej.guestagent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.objectstore.ObjectInfo;
import org.trovej.common.objectstore.ObjectLocation;
import org.trovej.common.objectstore.SloSegment;
import org.trovej.common.objectstore.SwiftAccount;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.objectstore.SwiftException;

/**
 * A backup container in Swift (or TroveJ's local store, which speaks the same API), reached with the token the
 * control plane put in the request's context. Failures surface as IOExceptions carrying the store's message.
 */
public final class SwiftBackupStore implements BackupStore {

    private static final Logger log = LoggerFactory.getLogger(SwiftBackupStore.class);

    private final SwiftAccount account;
    private final String container;
    private boolean containerReady;

    public SwiftBackupStore(SwiftAccount account, String container) {
        this.account = account;
        this.container = container;
    }

    /** The container {@code container} of the account at {@code swiftUrl}. */
    public static SwiftBackupStore of(SwiftClient client, String swiftUrl, String token, String container) {
        if (swiftUrl == null || swiftUrl.isBlank()) {
            throw new IllegalArgumentException("Missing swift_url in backup metadata.");
        }
        return new SwiftBackupStore(client.account(URI.create(swiftUrl), token), container);
    }

    /** The container of a backup's location; the object's name is {@code location.object()}. */
    public static SwiftBackupStore at(SwiftClient client, ObjectLocation location, String token) {
        return new SwiftBackupStore(client.account(location.accountUrl(), token), location.container());
    }

    @Override
    public String putSegment(String name, InputStream body) throws IOException {
        return call(() -> {
            if (!containerReady) {
                account.ensureContainer(container);
                containerReady = true;
            }
            return account.put(container, name, body, Map.of());
        });
    }

    /**
     * Trove's way: a server-side copy ({@code X-Copy-From}) to the final name, then the segment is deleted. A store
     * that cannot copy (refuses it, or stores something else) gets a one-segment manifest instead, which reads
     * back the same.
     */
    @Override
    public void promoteSegment(String segment, String object, Map<String, String> metadata) throws IOException {
        ObjectInfo source = call(() -> account.head(container, segment))
                .orElseThrow(() -> new IOException("segment " + segment + " is not in the store"));
        String copied;
        try {
            copied = account.copy(container, segment, object, metadata);
        } catch (SwiftException e) {
            if (e.status() == 401 || e.status() == 403 || e.status() == 0 || e.status() >= 500 && e.status() != 501) {
                throw new IOException(e.getMessage(), e);
            }
            log.info("The store refused to copy {} ({}): storing a one-segment manifest", segment, e.status());
            copied = null;
        }
        if (source.etag() != null && source.etag().equals(copied)) {
            call(() -> {
                account.delete(container, segment);
                return null;
            });
            return;
        }
        putManifest(object, List.of(SloSegment.of(container, segment, source.etag(), source.length())), metadata);
    }

    @Override
    public void putManifest(String object, List<SloSegment> segments, Map<String, String> metadata)
            throws IOException {
        call(() -> account.putManifest(container, object, segments, metadata));
    }

    @Override
    public StoredObject open(String object) throws IOException {
        ObjectInfo info = call(() -> account.head(container, object))
                .orElseThrow(() -> new IOException("backup object " + location(object) + " not found"));
        return new StoredObject(call(() -> account.get(container, object)), info.metadata());
    }

    @Override
    public Map<String, String> metadata(String object) throws IOException {
        return call(() -> account.head(container, object))
                .orElseThrow(() -> new IOException("backup object " + location(object) + " not found")).metadata();
    }

    @Override
    public void deleteBackup(String object) throws IOException {
        call(() -> {
            account.delete(container, object);
            for (String segment : account.list(container, object + "_")) {
                account.delete(container, segment);
            }
            return null;
        });
    }

    @Override
    public String location(String object) {
        return account.location(container, object);
    }

    @Override
    public String container() {
        return container;
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SwiftException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
