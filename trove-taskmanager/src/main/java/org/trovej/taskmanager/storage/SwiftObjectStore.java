package org.trovej.taskmanager.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import org.openstack4j.model.common.DLPayload;
import org.openstack4j.model.common.Payloads;
import org.openstack4j.model.storage.object.SwiftObject;
import org.openstack4j.model.storage.object.options.ObjectListOptions;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;

/** Swift, in the service project's account (Trove's {@code backup_swift_container} lives there too). */
public class SwiftObjectStore implements ObjectStore {

    private final CloudCalls cloud;

    public SwiftObjectStore(CloudCalls cloud) {
        this.cloud = cloud;
    }

    @Override
    public void ensureContainer(String container) {
        cloud.action("Swift refused to create container " + container,
                os -> os.objectStorage().containers().create(container));
    }

    @Override
    public String put(String container, String name, byte[] content) {
        return cloud.call("Swift refused to store " + container + "/" + name,
                os -> os.objectStorage().objects().put(container, name,
                        Payloads.create(new java.io.ByteArrayInputStream(content))));
    }

    @Override
    public Optional<byte[]> get(String container, String name) {
        SwiftObject object = cloud.call("show " + container + "/" + name,
                os -> os.objectStorage().objects().get(container, name));
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(cloud.call("read " + container + "/" + name, os -> {
            DLPayload payload = os.objectStorage().objects().download(container, name);
            if (payload.getHttpResponse().getStatus() == 404) {
                throw new CloudException(container + "/" + name + " disappeared", 404, null);
            }
            try (InputStream in = payload.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    @Override
    public List<String> list(String container, String prefix) {
        return cloud.call("list " + container, os -> os.objectStorage().objects()
                .list(container, ObjectListOptions.create().startsWith(prefix))).stream()
                .map(SwiftObject::getName).toList();
    }

    @Override
    public void delete(String container, String name) {
        cloud.delete("Swift refused to delete " + container + "/" + name,
                os -> os.objectStorage().objects().delete(container, name));
    }
}
