package org.trovej.taskmanager.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A "guest agent" that starts and then never says anything: a build that gets no heartbeat. */
public final class SilentGuest {

    private SilentGuest() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("silent guest: started, will never heartbeat");
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Packs this class as a runnable jar at {@code jar}. */
    static Path jar(Path jar) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SilentGuest.class.getName());
        String entry = SilentGuest.class.getName().replace('.', '/') + ".class";
        try {
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                 InputStream in = SilentGuest.class.getClassLoader().getResourceAsStream(entry)) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
