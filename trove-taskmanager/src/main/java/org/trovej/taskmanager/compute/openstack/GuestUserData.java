package org.trovej.taskmanager.compute.openstack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trovej.taskmanager.compute.GuestConfigText;

/**
 * The guest's boot files as cloud-init user data: a {@code #cloud-config} whose {@code write_files} puts
 * {@code guest_info.conf} and {@code trove-guestagent.conf} into {@code /etc/trove/conf.d}, readable by root only.
 * Nova keeps user data with the server (an admin reads it back with microversion 2.3+), and with a config drive
 * cloud-init finds it without a metadata service. The files hold the instance's RPC key and the broker password,
 * so this text is never logged.
 */
final class GuestUserData {

    private GuestUserData() {
    }

    /** @param files file name (in {@link GuestConfigText#CONF_DIR}) → content */
    static String cloudConfig(Map<String, String> files) {
        StringBuilder text = new StringBuilder("#cloud-config\n# TroveJ guest boot files\nwrite_files:\n");
        files.forEach((name, content) -> text
                .append("  - path: ").append(GuestConfigText.CONF_DIR).append('/').append(name).append('\n')
                .append("    owner: root:root\n")
                .append("    permissions: '0600'\n")
                .append("    encoding: b64\n")
                .append("    content: ").append(base64(content)).append('\n'));
        return text.toString();
    }

    /** Nova takes user data base64-encoded. */
    static String encoded(Map<String, String> files) {
        return base64(cloudConfig(files));
    }

    static Map<String, String> files(String guestInfo, String agentConf) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(GuestConfigText.GUEST_INFO, guestInfo);
        files.put(GuestConfigText.AGENT_CONF, agentConf);
        return files;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
