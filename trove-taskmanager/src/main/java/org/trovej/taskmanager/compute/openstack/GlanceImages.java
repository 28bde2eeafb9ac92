package org.trovej.taskmanager.compute.openstack;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.openstack4j.model.image.v2.Image.ImageStatus;
import org.trovej.service.openstack.CloudCalls;
import org.trovej.service.openstack.CloudException;
import org.trovej.taskmanager.compute.Image;

/**
 * The Glance image a server boots from: the datastore version's image id, or (Trove's {@code image_tags}) the
 * newest active image carrying all of its tags, so that an operator rolls out a new guest image by uploading it
 * with the same tags.
 */
public class GlanceImages {

    private final CloudCalls cloud;

    public GlanceImages(CloudCalls cloud) {
        this.cloud = cloud;
    }

    public String resolve(Image image) {
        if (image.id() != null && !image.id().isBlank()) {
            org.openstack4j.model.image.v2.Image found = cloud.call("show image " + image.id(),
                    os -> os.imagesV2().get(image.id()));
            if (found == null) {
                throw new CloudException("Image " + image.id() + " of the datastore version does not exist in Glance");
            }
            if (found.getStatus() != ImageStatus.ACTIVE) {
                throw new CloudException("Image " + image.id() + " is " + found.getStatus() + ", not active");
            }
            return found.getId();
        }
        List<String> tags = image.tags() == null ? List.of()
                : Arrays.stream(image.tags().split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (tags.isEmpty()) {
            throw new CloudException("The datastore version has neither an image id nor image tags");
        }
        List<? extends org.openstack4j.model.image.v2.Image> candidates = cloud.call("find images tagged " + tags,
                os -> os.imagesV2().list(Map.of("tag", tags.get(0), "status", "active")));
        return candidates.stream()
                .filter(i -> i.getTags() != null && i.getTags().containsAll(tags))
                .max(Comparator.comparing(i -> i.getCreatedAt() == null ? new Date(0) : i.getCreatedAt()))
                .map(org.openstack4j.model.image.v2.Image::getId)
                .orElseThrow(() -> new CloudException("No active Glance image carries the tags " + tags));
    }
}
